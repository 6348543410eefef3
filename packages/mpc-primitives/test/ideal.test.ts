/**
 * The ideal OT of @secinfer/mpc-primitives/ideal: each kind of OT delivers m0 to the sender
 * and m0 + c·Δ to the receiver, checks that the two calls agree, and moves no bytes.
 */
import { describe, expect, it } from 'vitest';
import { idealContextPair, idealOtPair } from '../src/ideal.js';
import { randomBits, ringRandom } from '../src/random.js';
import { ring } from '../src/ring.js';
import { fromLayout } from './protocols/values.js';

describe('ideal vector COT', () => {
  for (const ell of [8, 32, 37, 64]) {
    it(`gives the receiver m0 + c·Δ mod 2^w per OT, into sinks and accumulators (ℓ = ${ell})`, async () => {
      const [sender, receiver] = idealOtPair();
      const r = ring(ell);
      const k = 3;
      const n = 40;
      const deltas = ringRandom(r, 5 * k);
      const rows = Uint32Array.from({ length: n }, (_, j) => j % 5);
      const widths = Uint8Array.from({ length: n }, (_, j) => 1 + (j % ell));
      const choices = randomBits(n);
      const shape = { k, ell, widths };
      let m0: bigint[] = [];
      let got: bigint[] = [];
      await Promise.all([
        sender.sendVectorCorrelated(deltas, rows, shape, (_, __, v) => {
          m0 = fromLayout(v, ell);
        }),
        receiver.receiveVectorCorrelated(choices, shape, (_, __, v) => {
          got = fromLayout(v, ell);
        }),
      ]);
      const d = fromLayout(deltas, ell);
      expect(got).toEqual(
        m0.map((m, i) => {
          const j = Math.floor(i / k);
          return BigInt.asUintN(widths[j]!, m + (choices[j] ? d[rows[j]! * k + (i % k)]! : 0n));
        }),
      );
      // Accumulated with shifts w_j + s_j = ℓ, the two rows add up to Σ 2^s_j·c_j·Δ_j mod 2^ℓ.
      const targets = Uint32Array.from({ length: n }, (_, j) => j % 2);
      const shifts = Uint8Array.from(widths, (w) => ell - w);
      const words = r.words;
      const [accS, accR] = [new Uint32Array(2 * k * words), new Uint32Array(2 * k * words)];
      await Promise.all([
        sender.sendVectorCorrelated(deltas, rows, shape, { acc: accS, targets, shifts }),
        receiver.receiveVectorCorrelated(choices, shape, { acc: accR, targets, shifts }),
      ]);
      const modulus = ell > 32 ? 64 : 32;
      const sum = fromLayout(accS, ell > 32 ? 64 : 32).map((v, i) =>
        BigInt.asUintN(ell, v + fromLayout(accR, modulus)[i]!),
      );
      const expected = Array.from({ length: 2 * k }, (_, at) => {
        let total = 0n;
        for (let j = at >= k ? 1 : 0; j < n; j += 2)
          if (choices[j]) total += d[rows[j]! * k + (at % k)]! << BigInt(shifts[j]!);
        return BigInt.asUintN(ell, total);
      });
      expect(sum).toEqual(expected);
    });
  }

  it('rejects calls that disagree on the shape', async () => {
    const [sender, receiver] = idealOtPair();
    const shape = { k: 2, ell: 32, widths: new Uint8Array(4).fill(32) };
    const sent = sender.sendVectorCorrelated(
      new Uint32Array(2),
      new Uint32Array(4),
      shape,
      () => {},
    );
    await expect(
      receiver.receiveVectorCorrelated(new Uint8Array(4), { ...shape, k: 3 }, () => {}),
    ).rejects.toThrow(/vector COT mismatch/);
    await sent;
  });
});

describe('ideal contexts', () => {
  it('are a server and a client on connected channels, and the OT moves no bytes', async () => {
    const [server, client] = idealContextPair();
    expect([server.party, client.party]).toEqual([0, 1]);
    await Promise.all([
      server.ot.sendCorrelated(new Uint32Array(8), 32),
      client.ot.receiveCorrelated(new Uint8Array(8), 32),
    ]);
    await server.channel.send(new Uint8Array(3));
    expect((await client.channel.recv(3)).length).toBe(3);
    expect(server.channel.stats.bytesSent).toBe(3);
  });
});

describe('ideal random bit OTs', () => {
  it('give the receiver m_b for its random b, and say their source is ideal', async () => {
    const [sender, receiver] = idealOtPair();
    expect(sender.source).toBe('ideal');
    const [{ m0, m1 }, { choices, m }] = await Promise.all([
      sender.sendRandomBits(500),
      receiver.receiveRandomBits(500),
    ]);
    for (let j = 0; j < 500; j++) expect(m[j]).toBe(choices[j] ? m1[j] : m0[j]);
    const [, mismatch] = await Promise.allSettled([
      sender.sendRandomBits(3),
      receiver.receiveRandomBits(4),
    ]);
    expect(mismatch.status).toBe('rejected');
  });
});
