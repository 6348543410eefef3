import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../../src/ideal.js';
import { trunc, truncNonNegative, truncReduce } from '../../src/protocols/truncation.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

type Truncation = typeof trunc;

/** Cleartext oracle: the arithmetic shift of the signed ℓ-bit value, as ℓ'-bit unsigned. */
const truncClear = (x: bigint, ell: number, s: number, outEll = ell) =>
  BigInt.asUintN(outEll, BigInt.asIntN(ell, x) >> BigInt(s));

/** Local truncation of the shares (SecureML style), the thing the paper replaces. Test code only. */
function localTrunc(x0: bigint, x1: bigint, ell: number, s: number): bigint {
  const y0 = BigInt.asUintN(ell, x0) >> BigInt(s);
  const y1 = BigInt.asUintN(ell, -(BigInt.asUintN(ell, -x1) >> BigInt(s)));
  return BigInt.asUintN(ell, y0 + y1);
}

function edgeInputs(ell: number, s: number): bigint[] {
  const half = 1n << BigInt(ell - 1);
  const lowOnes = (1n << BigInt(s)) - 1n;
  return [
    0n,
    1n,
    -1n,
    -half,
    half - 1n,
    lowOnes,
    -lowOnes,
    1n << BigInt(s),
    -(1n << BigInt(s)),
    half - 1n - lowOnes,
    -half + lowOnes,
  ].map((v) => BigInt.asUintN(ell, v));
}

async function run(
  f: Truncation,
  x0: bigint[],
  x1: bigint[],
  ell: number,
  s: number,
  outEll: number,
) {
  const [ctx0, ctx1] = idealContextPair();
  const [y0, y1] = await Promise.all([
    f(ctx0, toLayout(x0, ell), ell, s),
    f(ctx1, toLayout(x1, ell), ell, s),
  ]);
  const a = fromLayout(y0, outEll);
  const b = fromLayout(y1, outEll);
  return a.map((v, i) => BigInt.asUintN(outEll, v + b[i]!));
}

describe('trunc (faithful)', () => {
  for (const ell of [32, 37, 41, 8, 64]) {
    for (const s of [1, 12, 13, 15].filter((v) => v < ell - 1)) {
      it(`equals x >> ${s} for ℓ = ${ell} on random, edge and wrap-point inputs`, async () => {
        const x = [...randomValues(300, ell), ...edgeInputs(ell, s)];
        const [x0, x1] = additiveShares(x, ell);
        // Shares at the wrap point: x0 = 0, x0 = 2^ℓ − 1, and x0 = x (so x1 = 0).
        for (const v of edgeInputs(ell, s)) {
          for (const share of [0n, (1n << BigInt(ell)) - 1n, v]) {
            x.push(v);
            x0.push(share);
            x1.push(BigInt.asUintN(ell, v - share));
          }
        }
        expect(await run(trunc, x0, x1, ell, s, ell)).toEqual(x.map((v) => truncClear(v, ell, s)));
      });
    }
  }

  it('is exact where local truncation of the shares is not', async () => {
    const ell = 32;
    const s = 12;
    const x = randomValues(2000, ell).map((v) => BigInt.asUintN(ell, BigInt.asIntN(ell, v) >> 4n)); // |x| < 2^27
    const [x0, x1] = additiveShares(x, ell);
    const expected = x.map((v) => truncClear(v, ell, s));
    const local = x.map((_, i) => localTrunc(x0[i]!, x1[i]!, ell, s));
    const localErrors = local.filter((v, i) => v !== expected[i]).length;
    expect(localErrors).toBeGreaterThan(200); // off by one in the last bit about half the time
    expect(await run(trunc, x0, x1, ell, s, ell)).toEqual(expected);
  });

  it('rejects s ≥ ℓ and s < 1 before any OT', async () => {
    const [ot] = idealContextPair();
    await expect(trunc(ot, new Uint32Array(2), 32, 32)).rejects.toThrow(
      /shift must be an integer in 1\.\.31/,
    );
    await expect(trunc(ot, new Uint32Array(2), 32, 0)).rejects.toThrow(/shift/);
  });
});

describe('truncNonNegative', () => {
  for (const ell of [32, 37, 41]) {
    for (const s of [1, 12, 13, 15]) {
      it(`equals x >> ${s} for non-negative ℓ = ${ell} values`, async () => {
        const x = [
          ...randomValues(300, ell - 1),
          0n,
          1n,
          (1n << BigInt(ell - 1)) - 1n,
          (1n << BigInt(s)) - 1n,
          1n << BigInt(s),
        ];
        const [x0, x1] = additiveShares(x, ell);
        expect(await run(truncNonNegative, x0, x1, ell, s, ell)).toEqual(
          x.map((v) => truncClear(v, ell, s)),
        );
      });
    }
  }
});

describe('truncReduce', () => {
  for (const ell of [32, 37, 41]) {
    for (const s of [1, 12, 13, 15]) {
      it(`equals x >> ${s} over Z_2^${ell - s} for ℓ = ${ell}`, async () => {
        const x = [...randomValues(300, ell), ...edgeInputs(ell, s)];
        const [x0, x1] = additiveShares(x, ell);
        expect(await run(truncReduce, x0, x1, ell, s, ell - s)).toEqual(
          x.map((v) => truncClear(v, ell, s, ell - s)),
        );
      });
    }
  }
});
