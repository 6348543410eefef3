import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { CLIENT, IknpSender, KkotReceiver, OtError, OtPack, SERVER } from '../src/index.js';
import { bytesBothWays, kkotPair, randomU8, SMALL_FERRET, sharedKkotPair } from './helpers.js';

describe('KK13 1-out-of-N OT', () => {
  it.each([
    [4, 2, 1],
    [4, 2, 127],
    [4, 2, 128],
    [4, 2, 129],
    [4, 2, 100_000],
    [1, 1, 1000],
    [2, 3, 1000],
    [3, 8, 129],
    [8, 8, 300],
    [8, 1, 129],
    [5, 7, 1001],
  ])(
    'N = 2^%i, %i-bit messages, n = %i: receiver gets messages[j·N + r_j]',
    async (logN, bits, n) => {
      const { sender, receiver, a } = await sharedKkotPair();
      const before = bytesBothWays(a);
      const N = 1 << logN;
      const msgs = randomU8(n * N, 1 << bits);
      const r = randomU8(n, N);
      const [, got] = await Promise.all([
        sender.send(msgs, logN, bits),
        receiver.receive(r, logN, bits),
      ]);
      for (let j = 0; j < n; j++) {
        if (got[j] !== msgs[j * N + r[j]!])
          throw new Error(`OT ${j}: ${got[j]} != ${msgs[j * N + r[j]!]}`);
      }
      // 32 B of columns per OT (⌈n/8⌉ bytes per column, batches of 2^14) + N·ℓ bits.
      const batches = Math.ceil(n / 16384);
      const last = n - (batches - 1) * 16384;
      const wire =
        (batches - 1) * (256 * 2048 + Math.ceil((16384 * N * bits) / 8)) +
        256 * Math.ceil(last / 8) +
        Math.ceil((last * N * bits) / 8);
      expect(bytesBothWays(a) - before).toBe(wire);
      if (logN === 4 && bits === 2 && n % 8 === 0) expect(bytesBothWays(a) - before).toBe(36 * n);
    },
  );

  it('bad parameters throw OtError; mismatched N rejects with a typed error', async () => {
    const { sender, receiver } = await kkotPair();
    await expect(sender.send(new Uint8Array(16), 9, 2)).rejects.toBeInstanceOf(OtError);
    await expect(receiver.receive(Uint8Array.from([16]), 4, 2)).rejects.toMatchObject({
      code: 'BAD_CHOICE',
    });
    const res = await Promise.allSettled([
      sender.send(new Uint8Array(64 * 16), 4, 2),
      receiver.receive(new Uint8Array(64), 3, 2),
    ]);
    expect(
      res.some((x) => x.status === 'rejected' && x.reason.name === 'UnexpectedLengthError'),
    ).toBe(true);
  });
});

describe('OtPack', () => {
  it('sets up with one base-OT run: 128 Chou–Orlandi OTs, then 384 + 256 random IKNP OTs', async () => {
    const [a, b] = memoryPair();
    const [server, client] = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
    // One mode byte each way; base OTs: the sender's point, the receiver's 128 points (32 B
    // each); then one IKNP matrix each way (128 columns of ⌈n/8⌉ bytes): n = 128 + 256
    // client → server, 256 back.
    expect(a.stats.bytesSent + b.stats.bytesSent).toBe(2 + 32 + 128 * 32 + 128 * 48 + 128 * 32);
    // The bootstrapped KK13 endpoints work both ways.
    const msgs = randomU8(300 * 16, 4);
    const c = randomU8(300, 16);
    const [, out] = await Promise.all([
      client.kkotSender.send(msgs, 4, 2),
      server.kkotReceiver.receive(c, 4, 2),
    ]);
    for (let j = 0; j < 300; j++) expect(out[j]).toBe(msgs[16 * j + c[j]!]);
    const r = randomU8(300, 2);
    const d = Uint32Array.from({ length: 300 }, (_, i) => i * 104729);
    const [m0, got] = await Promise.all([
      server.iknpSender.correlatedOt(d, 32),
      client.iknpReceiver.correlatedOt(r, 32),
    ]);
    for (let j = 0; j < 300; j++) expect(got[j]).toBe((m0[j]! + (r[j] ? d[j]! : 0)) >>> 0);
  });

  it('a silent pack against an iknp one fails at once on both sides, naming both modes', async () => {
    const [a, b] = memoryPair();
    const [server, client] = await Promise.allSettled([
      OtPack.setup(SERVER, a, { ot: 'silent' }),
      OtPack.setup(CLIENT, b, { ot: 'iknp' }),
    ]);
    for (const r of [server, client]) {
      expect(r.status).toBe('rejected');
      const e = (r as PromiseRejectedResult).reason;
      expect(e).toBeInstanceOf(OtError);
      expect(e.code).toBe('PARAMETER_MISMATCH');
    }
    expect((server as PromiseRejectedResult).reason.message).toMatch(
      /sets up silent OT, the other iknp/,
    );
    // Nothing past the mode bytes was sent.
    expect(a.stats.bytesSent + b.stats.bytesSent).toBe(2);
  });

  it('rejects a message wider than its bits before any I/O', async () => {
    const { sender, a } = await kkotPair();
    const before = a.stats.bytesSent;
    await expect(sender.send(new Uint8Array([0, 1, 2, 4]), 2, 2)).rejects.toThrow(
      /message 3 = 4 needs more than 2 bits/,
    );
    expect(a.stats.bytesSent).toBe(before);
  });

  it('rejects base OTs of the wrong count before any I/O', () => {
    const [a] = memoryPair();
    expect(() => IknpSender.fromBaseOts(a, new Uint8Array(127), new Uint8Array(16 * 127))).toThrow(
      OtError,
    );
    expect(() => KkotReceiver.fromBaseOts(a, new Uint8Array(16), new Uint8Array(16))).toThrow(
      OtError,
    );
    expect(a.stats.bytesSent).toBe(0);
  });

  it('both parties can send and receive over one channel', async () => {
    const [a, b] = memoryPair();
    const [server, client] = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
    const r = randomU8(500, 2);
    const d = Uint32Array.from({ length: 500 }, (_, i) => i * 7919);
    const [m0, got] = await Promise.all([
      client.iknpSender.correlatedOt(d, 32),
      server.iknpReceiver.correlatedOt(r, 32),
    ]);
    for (let j = 0; j < 500; j++) expect(got[j]).toBe((m0[j]! + (r[j] ? d[j]! : 0)) >>> 0);
    const msgs = randomU8(500 * 16, 4);
    const c = randomU8(500, 16);
    const [, out] = await Promise.all([
      server.kkotSender.send(msgs, 4, 2),
      client.kkotReceiver.receive(c, 4, 2),
    ]);
    for (let j = 0; j < 500; j++) expect(out[j]).toBe(msgs[16 * j + c[j]!]);
  });

  it('silent mode: Ferret both ways from the pack’s IKNP, no further base OTs', async () => {
    const ferret = {
      main: SMALL_FERRET.main,
      bootstrap: SMALL_FERRET.bootstrap,
    };
    const [a, b] = memoryPair();
    const [server, client] = await Promise.all([
      OtPack.setup(SERVER, a, { ot: 'silent', ferret }),
      OtPack.setup(CLIENT, b, { ot: 'silent', ferret }),
    ]);
    expect([server.ot, client.ot]).toEqual(['silent', 'silent']);
    // The IKNP pack as above (mode bytes included), then per direction: parameters 48 B each
    // way, seeds 32 B, the bootstrap reserve k + t·h = 840 COTs of IKNP (128·⌈840/8⌉ B) and
    // its round t·(32h + 16).
    const pack = 2 + 32 + 128 * 32 + 128 * 48 + 128 * 32;
    const direction = 96 + 32 + 128 * Math.ceil(840 / 8) + 40 * (32 * 6 + 16);
    expect(a.stats.bytesSent + b.stats.bytesSent).toBe(pack + 2 * direction);
    for (const [s, r] of [
      [server, client],
      [client, server],
    ] as const) {
      const n = 20_000; // more than a round: the main rounds run too
      const [keys, { choices, macs }] = await Promise.all([
        s.cotSender!.next(n),
        r.cotReceiver!.next(n),
      ]);
      const delta = s.cotSender!.delta;
      expect(Buffer.from(delta).equals(Buffer.from(s.iknpSender.core.s))).toBe(true);
      for (let j = 0; j < n; j++) {
        for (let x = 0; x < 16; x++) {
          if (macs[16 * j + x] !== (keys[16 * j + x]! ^ (choices[j] ? delta[x]! : 0)))
            throw new Error(`COT ${j}`);
        }
      }
    }
    const [plain] = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
    expect([plain.ot, plain.cotSender, plain.cotReceiver]).toEqual(['iknp', undefined, undefined]);
  });

  it('silent mode: parties with different Ferret sets fail with PARAMETER_MISMATCH', async () => {
    const boot = SMALL_FERRET.bootstrap;
    const main = SMALL_FERRET.main;
    const [a, b] = memoryPair();
    const outcome = await Promise.allSettled([
      OtPack.setup(SERVER, a, { ot: 'silent', ferret: { main, bootstrap: boot } }),
      OtPack.setup(CLIENT, b, {
        ot: 'silent',
        ferret: { main: { ...main, d: 9 }, bootstrap: boot },
      }),
    ]);
    for (const o of outcome)
      expect(o.status === 'rejected' && (o.reason as OtError).code).toBe('PARAMETER_MISMATCH');
  });
});
