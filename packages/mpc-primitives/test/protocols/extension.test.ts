import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../src/context.js';
import { idealContextPair } from '../../src/ideal.js';
import { signExtend } from '../../src/protocols/extension.js';
import { truncReduce } from '../../src/protocols/truncation.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

/** Cleartext oracle: the signed m-bit value, re-encoded on ℓ bits. */
const signExtendClear = (x: bigint, m: number, ell: number) =>
  BigInt.asUintN(ell, BigInt.asIntN(m, x));

describe('signExtend', () => {
  for (const [m, ell] of [
    [20, 32],
    [31, 32],
    [32, 37],
    [25, 41],
    [8, 64],
    [63, 64],
  ] as const) {
    it(`widens signed ${m}-bit shares to ${ell} bits, extremes and wrap-point shares included`, async () => {
      const half = 1n << BigInt(m - 1);
      const edges = [0n, 1n, -1n, -half, half - 1n].map((v) => BigInt.asUintN(m, v));
      const x = [...randomValues(300, m), ...edges];
      const [x0, x1] = additiveShares(x, m);
      for (const v of edges) {
        for (const share of [0n, (1n << BigInt(m)) - 1n, v]) {
          x.push(v);
          x0.push(share);
          x1.push(BigInt.asUintN(m, v - share));
        }
      }
      const [ot0, ot1] = idealContextPair();
      const [y0, y1] = await Promise.all([
        signExtend(ot0, toLayout(x0, m), m, ell),
        signExtend(ot1, toLayout(x1, m), m, ell),
      ]);
      const b = fromLayout(y1, ell);
      expect(fromLayout(y0, ell).map((v, i) => BigInt.asUintN(ell, v + b[i]!))).toEqual(
        x.map((v) => signExtendClear(v, m, ell)),
      );
    });
  }

  it('undoes TruncReduce: truncReduce then signExtend equals x >> s on ℓ bits', async () => {
    const [ell, s] = [37, 12];
    const x = randomValues(500, ell);
    const [x0, x1] = additiveShares(x, ell);
    const [ctx0, ctx1] = idealContextPair();
    const run = async (ctx: PartyContext, shares: bigint[]) => {
      const reduced = await truncReduce(ctx, toLayout(shares, ell), ell, s);
      return signExtend(ctx, reduced, ell - s, ell);
    };
    const [y0, y1] = await Promise.all([run(ctx0, x0), run(ctx1, x1)]);
    const b = fromLayout(y1, ell);
    expect(fromLayout(y0, ell).map((v, i) => BigInt.asUintN(ell, v + b[i]!))).toEqual(
      x.map((v) => BigInt.asUintN(ell, BigInt.asIntN(ell, v) >> BigInt(s))),
    );
  });

  it('refuses to narrow', async () => {
    const [ot] = idealContextPair();
    await expect(signExtend(ot, new Uint32Array(1), 32, 32)).rejects.toThrow(/widens/);
  });
});
