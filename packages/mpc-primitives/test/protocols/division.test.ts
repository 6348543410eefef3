import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../../src/ideal.js';
import { divRing, powerOfTwoDivMod } from '../../src/protocols/division.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

/** Cleartext oracle: floor division of the signed ℓ-bit value (BigInt `/` truncates toward 0). */
function divRingClear(x: bigint, ell: number, d: number): bigint {
  const v = BigInt.asIntN(ell, x);
  const D = BigInt(d);
  const q = v / D;
  return BigInt.asUintN(ell, v % D !== 0n && v < 0n ? q - 1n : q);
}

async function divide(x0: bigint[], x1: bigint[], ell: number, d: number): Promise<bigint[]> {
  const [ot0, ot1] = idealContextPair();
  const [y0, y1] = await Promise.all([
    divRing(ot0, toLayout(x0, ell), ell, d),
    divRing(ot1, toLayout(x1, ell), ell, d),
  ]);
  const b = fromLayout(y1, ell);
  return fromLayout(y0, ell).map((v, i) => BigInt.asUintN(ell, v + b[i]!));
}

function edges(ell: number, d: number): bigint[] {
  const half = 1n << BigInt(ell - 1);
  const D = BigInt(d);
  return [
    0n,
    1n,
    -1n,
    D,
    -D,
    D - 1n,
    -(D - 1n),
    D + 1n,
    -D - 1n,
    -half,
    -half + 1n,
    half - 1n,
    half - D,
    -half + D,
  ].map((v) => BigInt.asUintN(ell, v));
}

describe('divRing', () => {
  it('knows 2^ℓ = q_N·d + r_N', () => {
    for (const [ell, d] of [
      [32, 49],
      [37, 169],
      [64, 3],
      [64, 1000003],
    ] as const) {
      const { quotient, remainder } = powerOfTwoDivMod(ell, d);
      const q = fromLayout(quotient, ell)[0]!;
      expect(q * BigInt(d) + BigInt(remainder)).toBe(1n << BigInt(ell));
    }
  });

  for (const ell of [32, 37, 41, 64]) {
    for (const d of [3, 7, 49, 169, 1000]) {
      it(`equals ⌊x / ${d}⌋ (signed floor) for ℓ = ${ell}, edges and wrap-point shares included`, async () => {
        const x = [...randomValues(200, ell), ...edges(ell, d)];
        const [x0, x1] = additiveShares(x, ell);
        for (const v of edges(ell, d)) {
          for (const share of [0n, (1n << BigInt(ell)) - 1n, v, BigInt(d - 1)]) {
            x.push(v);
            x0.push(share);
            x1.push(BigInt.asUintN(ell, v - share));
          }
        }
        expect(await divide(x0, x1, ell, d)).toEqual(x.map((v) => divRingClear(v, ell, d)));
      });
    }
  }

  it('takes the truncation path for a power of two and returns x for d = 1', async () => {
    const ell = 32;
    const x = [...randomValues(100, ell), ...edges(ell, 4)];
    const [x0, x1] = additiveShares(x, ell);
    expect(await divide(x0, x1, ell, 4)).toEqual(x.map((v) => divRingClear(v, ell, 4)));
    expect(await divide(x0, x1, ell, 1)).toEqual(x);
  });

  it('rejects d = 0 and d beyond the limit before any OT', async () => {
    const [ot] = idealContextPair();
    await expect(divRing(ot, new Uint32Array(1), 32, 0)).rejects.toThrow(
      /divisor must be an integer/,
    );
    await expect(divRing(ot, new Uint32Array(1), 32, 2 ** 21)).rejects.toThrow(/divisor/);
  });
});
