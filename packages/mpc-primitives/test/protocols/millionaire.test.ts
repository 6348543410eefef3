import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../../src/ideal.js';
import { andBatch, andShares } from '../../src/protocols/and.js';
import { generateBitTriples, generatePairedBitTriples } from '../../src/protocols/bit-triples.js';
import { dreluRing } from '../../src/protocols/drelu-ring.js';
import {
  combinationTree,
  millionaire,
  millionaireAndCount,
  millionaireGrouped,
} from '../../src/protocols/millionaire.js';
import { randomBits } from '../../src/random.js';
import { additiveShares, edgeValues, randomValues, toLayout } from './values.js';

const xor = (a: Uint8Array, b: Uint8Array) => a.map((v, i) => v ^ b[i]!);

/** Cleartext oracles, same names and semantics as the secure functions. */
const millionaireClear = (x: bigint[], y: bigint[]) => x.map((v, i) => Number(v > y[i]!));
const dreluClear = (x: bigint[], ell: number) => x.map((v) => Number(BigInt.asIntN(ell, v) >= 0n));

describe('bit triples and AND', () => {
  it('gives c = a ∧ b, and AND of shared bits equals the cleartext AND', async () => {
    const [s, c] = idealContextPair();
    const n = 1001;
    const [tS, tC] = await Promise.all([generateBitTriples(s, n), generateBitTriples(c, n)]);
    const a = xor(tS.a, tC.a);
    const b = xor(tS.b, tC.b);
    expect(xor(tS.c, tC.c)).toEqual(a.map((v, i) => v & b[i]!));

    const x = randomBits(n);
    const y = randomBits(n);
    const [x0, y0] = [randomBits(n), randomBits(n)];
    const [z0, z1] = await Promise.all([
      andShares(s, x0, y0, tS),
      andShares(c, xor(x, x0), xor(y, y0), tC),
    ]);
    expect(xor(z0, z1)).toEqual(x.map((v, i) => v & y[i]!));
    // Both parties open e and f: 2 bits per AND each way.
    expect(s.channel.stats.bytesSent).toBe(Math.ceil((2 * n) / 8));
  });
});

describe('paired triples and AND', () => {
  it('gives c = a ∧ b and c2 = a ∧ b2, and x ∧ y1, x ∧ y2 from one opening of x', async () => {
    const [s, c] = idealContextPair();
    const n = 777;
    const [tS, tC] = await Promise.all([
      generatePairedBitTriples(s, n),
      generatePairedBitTriples(c, n),
    ]);
    const a = xor(tS.a, tC.a);
    expect(xor(tS.c, tC.c)).toEqual(a.map((v, i) => v & (tS.b[i]! ^ tC.b[i]!)));
    expect(xor(tS.c2, tC.c2)).toEqual(a.map((v, i) => v & (tS.b2[i]! ^ tC.b2[i]!)));

    const [x, y1, y2] = [randomBits(n), randomBits(n), randomBits(n)];
    const masks = [randomBits(n), randomBits(n), randomBits(n)] as const;
    const none = { x: new Uint8Array(0), y: new Uint8Array(0), offset: 0 };
    const [r0, r1] = await Promise.all([
      andBatch(
        s,
        { ...none, triples: tS },
        { x: masks[0], y1: masks[1], y2: masks[2], triples: tS, offset: 0 },
      ),
      andBatch(
        c,
        { ...none, triples: tC },
        {
          x: xor(x, masks[0]),
          y1: xor(y1, masks[1]),
          y2: xor(y2, masks[2]),
          triples: tC,
          offset: 0,
        },
      ),
    ]);
    expect(xor(r0.first, r1.first)).toEqual(x.map((v, i) => v & y1[i]!));
    expect(xor(r0.second, r1.second)).toEqual(x.map((v, i) => v & y2[i]!));
    expect(s.channel.stats.bytesSent).toBe(Math.ceil((3 * n) / 8)); // e, f1, f2
  });
});

describe('millionaire', () => {
  it('has the reference tree: 11 ANDs for ℓ = 32 with 4-bit digits', () => {
    expect(combinationTree(8)).toEqual([
      [
        [0, 1],
        [2, 3],
        [4, 5],
        [6, 7],
      ],
      [
        [0, 2],
        [4, 6],
      ],
      [[0, 4]],
    ]);
    expect(millionaireAndCount(32)).toBe(11);
    expect(millionaireAndCount(4)).toBe(0);
  });

  for (const ell of [1, 2, 3, 4, 5, 8, 31, 32, 33, 37, 41, 63, 64]) {
    it(`equals 1{x > y} for ℓ = ${ell} on random and edge inputs`, async () => {
      const edges = edgeValues(ell);
      const x = [...randomValues(300, ell), ...edges.flatMap((e) => edges.map(() => e))];
      const y = [...randomValues(300, ell), ...edges.flatMap(() => edges)];
      // Equal inputs too, which only the equality leaves decide.
      x.push(...y.slice(0, 50));
      y.push(...y.slice(0, 50));
      const [s, c] = idealContextPair();
      const [r0, r1] = await Promise.all([
        millionaire(s, toLayout(x, ell), ell),
        millionaire(c, toLayout(y, ell), ell),
      ]);
      expect([...xor(r0, r1)]).toEqual(millionaireClear(x, y));
    });
  }

  for (const [ell, group] of [
    [33, 2],
    [3, 4],
    [16, 3],
  ] as const) {
    it(`compares ${group} server values with each client value (ℓ = ${ell}), sharing the leaf OTs`, async () => {
      const n = 200;
      const y = [...randomValues(n - 2, ell), 0n, (1n << BigInt(ell)) - 1n];
      const x = [...randomValues(group * n - n, ell), ...y]; // the last group equals y
      const [s, c] = idealContextPair();
      const [r0, r1] = await Promise.all([
        millionaireGrouped(s, toLayout(x, ell), ell, group),
        millionaireGrouped(c, toLayout(y, ell), ell, group),
      ]);
      expect([...xor(r0, r1)]).toEqual(x.map((v, t) => Number(v > y[t % n]!)));
    });
  }

  it('takes one AND round per tree level, whatever n', async () => {
    for (const n of [1, 1000]) {
      const [s, c] = idealContextPair();
      await Promise.all([
        millionaire(s, toLayout(randomValues(n, 32), 32), 32),
        millionaire(c, toLayout(randomValues(n, 32), 32), 32),
      ]);
      expect(s.channel.stats.messagesSent).toBe(3); // log2(8 digits) levels
    }
  });
});

describe('dreluRing', () => {
  for (const ell of [1, 2, 8, 31, 32, 33, 37, 41, 64]) {
    it(`equals 1{x ≥ 0} for ℓ = ${ell}, including 0, ±1 and the extremes`, async () => {
      const signedEdges = [
        0n,
        1n,
        -1n,
        -(1n << BigInt(ell - 1)),
        (1n << BigInt(ell - 1)) - 1n,
        2n,
        -2n,
      ];
      const x = [...randomValues(400, ell), ...signedEdges.map((v) => BigInt.asUintN(ell, v))];
      const [x0, x1] = additiveShares(x, ell);
      const [s, c] = idealContextPair();
      const [d0, d1] = await Promise.all([
        dreluRing(s, toLayout(x0, ell), ell),
        dreluRing(c, toLayout(x1, ell), ell),
      ]);
      expect([...xor(d0, d1)]).toEqual(dreluClear(x, ell));
    });
  }

  it('also holds when a share sits at the wrap point (x0 = 0 or x0 = −x)', async () => {
    const ell = 32;
    const x = [5n, BigInt.asUintN(ell, -5n), 0n, 1n << 31n];
    const x0 = [0n, 0n, 0n, (1n << 32n) - 1n];
    const x1 = x.map((v, i) => BigInt.asUintN(ell, v - x0[i]!));
    const [s, c] = idealContextPair();
    const [d0, d1] = await Promise.all([
      dreluRing(s, toLayout(x0, ell), ell),
      dreluRing(c, toLayout(x1, ell), ell),
    ]);
    expect([...xor(d0, d1)]).toEqual(dreluClear(x, ell));
  });
});
