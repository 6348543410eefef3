import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { idealCotPair } from '../src/ideal.js';
import {
  type CotReceiver,
  type CotSender,
  cotCorrelatedReceive,
  cotCorrelatedSend,
  cotOneOfNReceive,
  cotOneOfNSend,
  cotRandomBitOtReceive,
  cotRandomBitOtSend,
  FerretReceiver,
  FerretSender,
  IknpCotReceiver,
  IknpCotSender,
  OtError,
  packBits,
  wordsPerValue,
} from '../src/index.js';
import { bytesBothWays, iknpPair, randomU8, randomValues, SMALL_FERRET } from './helpers.js';

const SMALL = SMALL_FERRET.main;
const BOOT = SMALL_FERRET.bootstrap;

interface Source {
  s: CotSender;
  r: CotReceiver;
  /** Bytes the source itself moves for `cots` COTs (IKNP) or per round run (Ferret). */
  cotBytes(cots: number, roundsBefore: number): number;
  rounds(): number;
}

/** IKNP COT: 128·⌈count/8⌉ bytes per batch of 2^17 (in batches of at most `per` COTs). */
function iknpCotBytes(cots: number): number {
  let bytes = 0;
  for (let f = 0; f < cots; f += 1 << 17) bytes += 128 * Math.ceil(Math.min(1 << 17, cots - f) / 8);
  return bytes;
}

const sources: Record<string, () => Promise<Source>> = {
  iknp: async () => {
    const { sender, receiver } = await iknpPair();
    return {
      s: new IknpCotSender(sender),
      r: new IknpCotReceiver(receiver),
      cotBytes: (cots) => iknpCotBytes(cots),
      rounds: () => 0,
    };
  },
  ferret: async () => {
    const [a, b] = memoryPair();
    const opts = { main: SMALL, bootstrap: BOOT };
    const [s, r] = await Promise.all([FerretSender.setup(a, opts), FerretReceiver.setup(b, opts)]);
    // Ferret's only bytes are its rounds, t·(32h + 16) each, all from the sender.
    return {
      s,
      r,
      cotBytes: (_cots, before) => (s.rounds - before) * SMALL.t * (32 * SMALL.h + 16),
      rounds: () => s.rounds,
    };
  },
};

const cache = new Map<string, Promise<Source>>();
function source(name: string): Promise<Source> {
  if (!cache.has(name)) cache.set(name, sources[name]!());
  return cache.get(name)!;
}

/** Bytes moved on the sender's channel while `run` runs, with the rounds counter before it. */
async function measured<T>(src: Source, run: () => Promise<T>) {
  const before = bytesBothWays(src.s.channel);
  const rounds = src.rounds();
  const out = await run();
  return { out, bytes: bytesBothWays(src.s.channel) - before, rounds };
}

function big(values: Uint32Array, j: number, ell: number): bigint {
  return wordsPerValue(ell) === 2
    ? BigInt(values[2 * j]!) + (BigInt(values[2 * j + 1]!) << 32n)
    : BigInt(values[j]!);
}

for (const name of Object.keys(sources)) {
  describe(`OTs built on ${name} COT`, () => {
    it.each([1, 2, 3, 4, 5, 6, 7, 8])(
      '1-out-of-2^%i: m_c for bits 1, 2, 8; ⌈n·logN/8⌉ up + ⌈n·N·bits/8⌉ down',
      async (logN) => {
        const src = await source(name);
        const N = 1 << logN;
        const n = 77;
        for (const bits of [1, 2, 8]) {
          const messages = randomU8(n * N, 1 << bits);
          const choices = randomU8(n, N);
          const { out, bytes, rounds } = await measured(src, () =>
            Promise.all([
              cotOneOfNSend(src.s, messages, logN, bits),
              cotOneOfNReceive(src.r, choices, logN, bits),
            ]),
          );
          const got = out[1];
          for (let i = 0; i < n; i++) expect(got[i]).toBe(messages[i * N + choices[i]!]);
          expect(bytes).toBe(
            src.cotBytes(n * logN, rounds) +
              Math.ceil((n * logN) / 8) +
              Math.ceil((n * N * bits) / 8),
          );
        }
      },
    );

    it.each([1, 2, 31, 32, 33, 63, 64])(
      'correlated OT over Z_2^%i: m0 + c·δ; ⌈n/8⌉ + ⌈nℓ/8⌉ bytes beyond the COTs',
      async (ell) => {
        const src = await source(name);
        const n = 301;
        const deltas = randomValues(n, ell);
        const c = randomU8(n, 2);
        const { out, bytes, rounds } = await measured(src, () =>
          Promise.all([cotCorrelatedSend(src.s, deltas, ell), cotCorrelatedReceive(src.r, c, ell)]),
        );
        const [m0, got] = out;
        const mod = 1n << BigInt(ell);
        for (let j = 0; j < n; j++) {
          const want = (big(m0, j, ell) + BigInt(c[j]!) * big(deltas, j, ell)) % mod;
          expect(big(got, j, ell)).toBe(want);
          expect(big(m0, j, ell)).toBeLessThan(mod);
        }
        expect(bytes).toBe(src.cotBytes(n, rounds) + Math.ceil(n / 8) + Math.ceil((n * ell) / 8));
      },
    );

    for (const bits of [1, 2, 8]) {
      it(`random OTs of ${bits}-bit messages: m = m_b, no bytes beyond the COTs, uniform bits`, async () => {
        const src = await source(name);
        const n = 20_000;
        const { out, bytes, rounds } = await measured(src, () =>
          Promise.all([cotRandomBitOtSend(src.s, n, bits), cotRandomBitOtReceive(src.r, n, bits)]),
        );
        const [{ m0, m1 }, { choices, m }] = out;
        let ones = 0;
        const differ = new Array<number>(bits).fill(0);
        let high = 0;
        for (let j = 0; j < n; j++) {
          expect(m[j]).toBe(choices[j] ? m1[j] : m0[j]);
          ones += choices[j]!;
          for (let k = 0; k < bits; k++) differ[k]! += ((m0[j]! ^ m1[j]!) >>> k) & 1;
          high += (m0[j]! | m1[j]!) >>> bits;
          high += choices[j]! >>> 1;
        }
        expect(high).toBe(0);
        // Binomial(n, 1/2): six standard deviations (√n / 2) fail with probability < 1e-8.
        // Every bit of m0 ⊕ m1 is uniform: a pair of triples takes two of them.
        const bound = 6 * (Math.sqrt(n) / 2);
        expect(Math.abs(ones - n / 2)).toBeLessThan(bound);
        for (const d of differ) expect(Math.abs(d - n / 2)).toBeLessThan(bound);
        expect(bytes).toBe(src.cotBytes(n, rounds));
      });
    }
  });
}

describe('1-out-of-N on COT in batches of ⌊2^20 / logN⌋ OTs', () => {
  it('crosses a batch boundary: m_c, and each batch’s bytes by the formula', async () => {
    const [s, r] = idealCotPair();
    const [logN, bits] = [4, 2];
    const per = Math.floor(2 ** 20 / logN);
    const n = per + 1001;
    const messages = randomU8(16 * n, 4);
    const choices = randomU8(n, 16);
    const [, got] = await Promise.all([
      cotOneOfNSend(s, messages, logN, bits),
      cotOneOfNReceive(r, choices, logN, bits),
    ]);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (got[i] !== messages[16 * i + choices[i]!]) wrong++;
    expect(wrong).toBe(0);
    // The ideal COTs move nothing: only the flips and replies of the two batches.
    const batch = (count: number) =>
      Math.ceil((count * logN) / 8) + Math.ceil((count * 16 * bits) / 8);
    expect(bytesBothWays(s.channel)).toBe(batch(per) + batch(1001));
    // One round trip however many batches: all flips up, then all replies down.
    expect([s.channel.stats.rounds, r.channel.stats.rounds]).toEqual([2, 2]);
  });

  it('on Ferret, whose rounds run inside the batches: m_c and the bytes by the formula', async () => {
    const src = await source('ferret');
    const [logN, bits] = [4, 2];
    const per = Math.floor(2 ** 20 / logN);
    const n = per + 1001;
    const messages = randomU8(16 * n, 4);
    const choices = randomU8(n, 16);
    const { out, bytes, rounds } = await measured(src, () =>
      Promise.all([
        cotOneOfNSend(src.s, messages, logN, bits),
        cotOneOfNReceive(src.r, choices, logN, bits),
      ]),
    );
    let wrong = 0;
    for (let i = 0; i < n; i++) if (out[1][i] !== messages[16 * i + choices[i]!]) wrong++;
    expect(wrong).toBe(0);
    expect(bytes).toBe(
      src.cotBytes(n * logN, rounds) + Math.ceil((n * logN) / 8) + Math.ceil((n * 16 * bits) / 8),
    );
  });
});

describe('1-out-of-N on COT: the pads are not linear in the per-bit keys', () => {
  it('the XOR of the four pads of a 1-of-4 OT is not zero', async () => {
    const [s, r] = idealCotPair();
    const n = 2000;
    // Zero messages: the reply is the pads themselves; the receiver's flips are arbitrary.
    const sent = cotOneOfNSend(s, new Uint8Array(4 * n), 2, 8);
    await r.next(2 * n);
    await r.channel.send(packBits(randomU8(2 * n, 2)));
    const pads = await r.channel.recv(4 * n, 'test: pads');
    await sent;
    let zero = 0;
    for (let i = 0; i < n; i++) {
      if ((pads[4 * i]! ^ pads[4 * i + 1]! ^ pads[4 * i + 2]! ^ pads[4 * i + 3]!) === 0) zero++;
    }
    // Independent pads XOR to zero with probability 1/256: ~8 of 2000, never near all.
    expect(zero).toBeLessThan(40);
  });
});

describe('OTs on COT reject bad inputs with a typed OtError', () => {
  const [s, r] = idealCotPair();
  const code = async (p: Promise<unknown>) => {
    const e = await p.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(OtError);
    return (e as OtError).code;
  };
  it('1-out-of-N', async () => {
    expect(await code(cotOneOfNSend(s, new Uint8Array(4), 0, 2))).toBe('BAD_N');
    expect(await code(cotOneOfNSend(s, new Uint8Array(512), 9, 2))).toBe('BAD_N');
    expect(await code(cotOneOfNSend(s, new Uint8Array(16), 4, 9))).toBe('BAD_WIDTH');
    expect(await code(cotOneOfNSend(s, new Uint8Array(17), 4, 2))).toBe('BAD_LENGTH');
    expect(await code(cotOneOfNSend(s, Uint8Array.of(4, 0), 1, 2))).toBe('BAD_WIDTH');
    expect(await code(cotOneOfNReceive(r, Uint8Array.of(16), 4, 2))).toBe('BAD_CHOICE');
  });
  it('correlated', async () => {
    expect(await code(cotCorrelatedSend(s, new Uint32Array(4), 0))).toBe('BAD_WIDTH');
    expect(await code(cotCorrelatedSend(s, new Uint32Array(4), 65))).toBe('BAD_WIDTH');
    expect(await code(cotCorrelatedSend(s, new Uint32Array(3), 40))).toBe('BAD_LENGTH');
    expect(await code(cotCorrelatedReceive(r, Uint8Array.of(2), 8))).toBe('BAD_CHOICE');
  });
  it('random bit OT', async () => {
    expect(await code(cotRandomBitOtSend(s, -1))).toBe('BAD_COUNT');
    expect(await code(cotRandomBitOtReceive(r, 1.5))).toBe('BAD_COUNT');
    expect(await code(cotRandomBitOtSend(s, 4, 9))).toBe('BAD_WIDTH');
    expect(await code(cotRandomBitOtReceive(r, 4, 0))).toBe('BAD_WIDTH');
  });
});
