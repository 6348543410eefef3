/** The local operations: bias (server only), residual addition, concatenation, public scaling. */
import { CLIENT, SERVER } from '@secinfer/mpc-primitives';
import { describe, expect, it } from 'vitest';
import { addBias, addShares, concat, mulPublic, OtLinearError } from '../src/index.js';
import { fromLayout, randomValues, reconstruct, share, toLayout } from './helpers.js';

describe('local linear operations', () => {
  it.each([32, 37])('ℓ = %i: addBias adds bias[m] to channel m once (server side)', (ell) => {
    const shape = { batch: 2, channels: 3, spatial: 4 };
    const y = randomValues(24, ell);
    const bias = randomValues(3, ell);
    const [y0, y1] = share(y, ell);
    const s = addBias(SERVER, ell, y0, shape, toLayout(bias, ell));
    const c = addBias(CLIENT, ell, y1, shape);
    const want = y.map((v, i) => BigInt.asUintN(ell, v + bias[Math.floor(i / 4) % 3]!));
    expect(reconstruct(s, c, ell)).toEqual(want);
    expect(() => addBias(CLIENT, ell, y1, shape, toLayout(bias, ell))).toThrow(OtLinearError);
    expect(() => addBias(SERVER, ell, y0, shape)).toThrow(OtLinearError);
    expect(() => addBias(SERVER, ell, y0, { ...shape, spatial: 5 }, toLayout(bias, ell))).toThrow(
      OtLinearError,
    );
  });

  it.each([32, 37])('ℓ = %i: addShares and mulPublic are linear on shares', (ell) => {
    const [a, b] = [randomValues(10, ell), randomValues(10, ell)];
    const [a0, a1] = share(a, ell);
    const [b0, b1] = share(b, ell);
    const sum = reconstruct(addShares(ell, a0, b0), addShares(ell, a1, b1), ell);
    expect(sum).toEqual(a.map((v, i) => BigInt.asUintN(ell, v + b[i]!)));
    const scaled = reconstruct(mulPublic(ell, a0, -3), mulPublic(ell, a1, -3), ell);
    expect(scaled).toEqual(a.map((v) => BigInt.asUintN(ell, -3n * v)));
    expect(() => addShares(ell, a0, b0.subarray(0, b0.length - (ell > 32 ? 2 : 1)))).toThrow(
      OtLinearError,
    );
  });

  it.each([32, 37])('ℓ = %i: concat along every axis', (ell) => {
    const a = randomValues(2 * 3 * 2, ell);
    const b = randomValues(2 * 1 * 2, ell);
    const t = concat(
      ell,
      [
        { data: toLayout(a, ell), shape: [2, 3, 2] },
        { data: toLayout(b, ell), shape: [2, 1, 2] },
      ],
      1,
    );
    expect(t.shape).toEqual([2, 4, 2]);
    const want = [...a.slice(0, 6), ...b.slice(0, 2), ...a.slice(6), ...b.slice(2)];
    expect(fromLayout(t.data, ell)).toEqual(want);
    const first = concat(
      ell,
      [
        { data: toLayout(a, ell), shape: [2, 3, 2] },
        { data: toLayout(a, ell), shape: [2, 3, 2] },
      ],
      0,
    );
    expect(fromLayout(first.data, ell)).toEqual([...a, ...a]);
    const last = concat(
      ell,
      [
        { data: toLayout(b, ell), shape: [2, 1, 2] },
        { data: toLayout(b, ell), shape: [2, 1, 2] },
      ],
      2,
    );
    expect(fromLayout(last.data, ell)).toEqual([b[0], b[1], b[0], b[1], b[2], b[3], b[2], b[3]]);
    expect(() =>
      concat(
        ell,
        [
          { data: toLayout(a, ell), shape: [2, 3, 2] },
          { data: toLayout(b, ell), shape: [2, 1, 2] },
        ],
        0,
      ),
    ).toThrow(OtLinearError);
  });
});
