/**
 * scaleRowsServerWeights end to end on the real OT stack: diag(w)·X mod 2^ℓ bit for bit, bytes
 * equal to the formula, and parameter mismatches rejected before any I/O.
 */
import { SERVER } from '@secinfer/mpc-primitives';
import { describe, expect, it } from 'vitest';
import { OtLinearError, scaleRowsServerWeights } from '../src/index.js';
import {
  both,
  randomValues,
  reconstruct,
  share,
  sharedSession,
  signedValues,
  toLayout,
} from './helpers.js';

/** 16 B per OT (rows·b of them) plus rows·inner·Σ_{i<b}(ℓ − i) bits of correlations (one batch). */
const scaleRowsBytes = (rows: number, inner: number, ell: number, b = ell) =>
  128 * Math.ceil((rows * b) / 8) + Math.ceil((rows * inner * (b * ell - (b * (b - 1)) / 2)) / 8);

describe('scaleRowsServerWeights', () => {
  for (const ell of [11, 32, 37]) {
    for (const [rows, inner] of [
      [1, 1],
      [5, 7],
      [24, 49],
    ] as const) {
      it(`ℓ = ${ell}, ${rows} rows × ${inner}: w_p·X[p] mod 2^ℓ; bytes = formula`, async () => {
        const w = randomValues(rows, ell);
        w[rows - 1] = (1n << BigInt(ell)) - 1n; // −1, the sign a moved batch norm uses
        const x = randomValues(rows * inner, ell);
        const [x0, x1] = share(x, ell);
        const { results, bytes } = await both((p, ctx) =>
          scaleRowsServerWeights(
            ctx,
            { rows, inner },
            ell,
            p === SERVER ? x0 : x1,
            p === SERVER ? toLayout(w, ell) : undefined,
          ),
        );
        expect(reconstruct(results[0], results[1], ell)).toEqual(
          x.map((v, i) => BigInt.asUintN(ell, v * w[Math.floor(i / inner)]!)),
        );
        expect(bytes).toBe(scaleRowsBytes(rows, inner, ell));
      });
    }
  }

  for (const [ell, bits] of [
    [32, 2],
    [37, 9],
  ] as const) {
    it(`scales of ${bits} signed bits (ℓ = ${ell}): w_p·X[p] mod 2^ℓ; bytes = formula`, async () => {
      const [rows, inner] = [9, 10];
      const w = signedValues(rows, bits, ell);
      const x = randomValues(rows * inner, ell);
      const [x0, x1] = share(x, ell);
      const { results, bytes } = await both((p, ctx) =>
        scaleRowsServerWeights(
          ctx,
          { rows, inner },
          ell,
          p === SERVER ? x0 : x1,
          p === SERVER ? toLayout(w, ell) : undefined,
          { weightBits: bits },
        ),
      );
      expect(reconstruct(results[0], results[1], ell)).toEqual(
        x.map((v, i) => BigInt.asUintN(ell, v * w[Math.floor(i / inner)]!)),
      );
      expect(bytes).toBe(scaleRowsBytes(rows, inner, ell, bits));
    });
  }

  it('rejects a wrong length, missing scales or scales on the client, before any I/O', async () => {
    const { channels, contexts } = await sharedSession();
    const before = channels[0].stats.bytesSent;
    const x = new Uint32Array(6);
    const call = (party: 0 | 1, xs: Uint32Array, scales?: Uint32Array) =>
      scaleRowsServerWeights(contexts[party], { rows: 2, inner: 3 }, 32, xs, scales);
    await expect(call(0, new Uint32Array(5), new Uint32Array(2))).rejects.toThrow(OtLinearError);
    await expect(call(0, x)).rejects.toThrow(/no weights/);
    await expect(call(1, x, new Uint32Array(2))).rejects.toThrow(/client passed weights/);
    expect(channels[0].stats.bytesSent).toBe(before);
  });
});
