import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../../src/ideal.js';
import {
  truncApproximate,
  truncApproximateNonNegative,
} from '../../src/protocols/truncation-approximate.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

type Truncation = typeof truncApproximate;

/** The exact arithmetic shift, signed. */
const exact = (x: bigint, ell: number, s: number) => BigInt.asIntN(ell, x) >> BigInt(s);

/** Secure results, read as signed ℓ-bit values. */
async function run(f: Truncation, x0: bigint[], x1: bigint[], ell: number, s: number) {
  const [ctx0, ctx1] = idealContextPair();
  const [y0, y1] = await Promise.all([
    f(ctx0, toLayout(x0, ell), ell, s),
    f(ctx1, toLayout(x1, ell), ell, s),
  ]);
  const a = fromLayout(y0, ell);
  const b = fromLayout(y1, ell);
  return a.map((v, i) => BigInt.asIntN(ell, v + b[i]!));
}

/** Error of each result against the exact shift: the oracle allows exactly {−1, 0}. */
function errors(got: bigint[], x: bigint[], ell: number, s: number): bigint[] {
  return got.map((y, i) => y - exact(x[i]!, ell, s));
}

/** Shares at the points where the carry or the wrap flips. */
function boundaryCases(values: bigint[], ell: number): [bigint[], bigint[], bigint[]] {
  const x: bigint[] = [];
  const x0: bigint[] = [];
  for (const v of values) {
    for (const share of [0n, 1n, (1n << BigInt(ell)) - 1n, v, v - 1n]) {
      x.push(v);
      x0.push(BigInt.asUintN(ell, share));
    }
  }
  return [x, x0, x.map((v, i) => BigInt.asUintN(ell, v - x0[i]!))];
}

describe('truncApproximate (opt-in, ≤ 1 LSB low)', () => {
  for (const ell of [8, 32, 37, 41, 64]) {
    for (const s of [1, 12, 15].filter((v) => v < ell - 1)) {
      it(`is x >> ${s} or one less for ℓ = ${ell}, and both occur`, async () => {
        const half = 1n << BigInt(ell - 1);
        const edges = [0n, 1n, -1n, half - 1n, -half, (1n << BigInt(s)) - 1n, -(1n << BigInt(s))];
        const random = randomValues(600, ell);
        const [rx0, rx1] = additiveShares(random, ell);
        const [ex, ex0, ex1] = boundaryCases(edges, ell);
        const x = [...random, ...ex];
        const got = await run(truncApproximate, [...rx0, ...ex0], [...rx1, ...ex1], ell, s);
        const err = errors(got, x, ell, s);
        expect(err.every((e) => e === 0n || e === -1n)).toBe(true);
        // Uniform shares carry with probability (2^s − 1) / 2^(s+1): an exact result everywhere
        // would mean the test no longer exercises the approximation (±0.1 is > 5 σ at 600).
        const low = err.slice(0, random.length).filter((e) => e === -1n).length;
        const carry = (2 ** s - 1) / 2 ** (s + 1);
        expect(Math.abs(low / random.length - carry)).toBeLessThan(0.1);
      });
    }
  }
});

describe('truncApproximateNonNegative', () => {
  for (const ell of [32, 37, 41]) {
    for (const s of [1, 12, 13]) {
      it(`is x >> ${s} or one less for non-negative ℓ = ${ell} values`, async () => {
        const top = (1n << BigInt(ell - 1)) - 1n;
        const x = [...randomValues(400, ell - 1), 0n, 1n, top, (1n << BigInt(s)) - 1n];
        const [x0, x1] = additiveShares(x, ell);
        const err = errors(await run(truncApproximateNonNegative, x0, x1, ell, s), x, ell, s);
        expect(err.every((e) => e === 0n || e === -1n)).toBe(true);
        expect(err.some((e) => e === -1n)).toBe(true);
      });
    }
  }
});
