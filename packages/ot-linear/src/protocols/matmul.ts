/**
 * W · X with W (d1 × d2) held by the server in the clear and X (d2 × d3) additively shared
 * (X = X0 + X1 mod 2^ℓ), ending in fresh additive shares of the d1 × d3 product — CrypTFlow2's
 * linear layers on OT. W·X0 is local to the server; W·X1 runs on vector correlated OT in one of
 * two orientations:
 *
 *   the client's X1 chooses (X1ᵀ·Wᵀ: d2·d3·ℓ OTs, each a column of W, d1 values);
 *   the server's W chooses (W·X1: d1·d2·b OTs, each a row of X1, d3 values),
 *
 * where b = ℓ, or fewer when the weights are declared signed b-bit integers (`weightBits`, a
 * public parameter like the scale, as SCI's bit widths of the operands): then each weight
 * needs b OTs and d3·Σ_{i<b}(ℓ − i) bits instead of ℓ and d3·ℓ(ℓ + 1)/2. The orientation with
 * fewer bytes wins — at b = ℓ simply the one with fewer OTs, d3 ≤ d1 choosing the client.
 * Both parties derive it from the same public values. One vector-COT call: O(1) rounds.
 */

import {
  CLIENT,
  type Party,
  type PartyContext,
  ring,
  ringAdd,
  SERVER,
} from '@secinfer/mpc-primitives';
import { wordsPerValue } from '@secinfer/ot';
import { OtLinearError } from '../errors.js';
import { localMatmul, transpose } from '../kernels/matrix.js';
import {
  checkDims,
  checkVector,
  checkWeights,
  type MatmulDims,
  requireBits,
  requireEll,
} from '../shapes.js';
import { cotProductChoose, cotProductCorrelate } from './cot-product.js';

/** Options of the layers with server-held weights. */
export interface WeightOptions {
  /**
   * Every weight is a signed integer of this many bits, 2..ℓ (default ℓ: any ring element).
   * Public: both parties must pass the same value; the server's weights are checked against it.
   */
  weightBits?: number;
}

/** Both-way bytes of one orientation: 16 B of IKNP columns per OT plus the correlations. */
function orientationBytes(elements: number, bits: number, k: number, ell: number): number {
  const perElement = bits * ell - (bits * (bits - 1)) / 2; // Σ_{i<bits} (ℓ − i)
  return 16 * elements * bits + (elements * k * perElement) / 8;
}

/** Whether the client's share chooses (else the server's weights do): fewer bytes wins. */
export function clientChooses(dims: MatmulDims, ell: number, weightBits = ell): boolean {
  const { d1, d2, d3 } = dims;
  return orientationBytes(d2 * d3, ell, d1, ell) <= orientationBytes(d1 * d2, weightBits, d3, ell);
}

/**
 * This party's share of W·X (d1 × d3). `x` is its share of X (d2 × d3, row-major, Z_2^ℓ
 * layout); `weights` W (d1 × d2) is given by the server only. Throws OtLinearError before any
 * I/O on a length, ℓ or weights mismatch.
 */
export async function matmulServerWeights(
  ctx: PartyContext,
  dims: MatmulDims,
  ell: number,
  x: Uint32Array,
  weights?: Uint32Array,
  options: WeightOptions = {},
): Promise<Uint32Array> {
  const what = 'matmulServerWeights';
  requireEll(ell, what);
  checkDims(dims, what);
  checkParty(ctx.party, what);
  checkVector(x, dims.d2 * dims.d3, ell, `${what}: x`);
  checkWeights(ctx.party === SERVER, weights, dims.d1 * dims.d2, ell, what);
  const weightBits = options.weightBits ?? ell;
  requireBits(weightBits, ell, what);
  return serverWeightsProduct(ctx, dims, ell, x, weights, weightBits);
}

export function checkParty(party: Party, what: string): void {
  if (party !== SERVER && party !== CLIENT)
    throw new OtLinearError('BAD_SHAPE', `${what}: party ${party} is neither SERVER nor CLIENT`);
}

/** The protocol itself, on checked inputs (shared with convolution and fully-connected). */
export async function serverWeightsProduct(
  ctx: PartyContext,
  dims: MatmulDims,
  ell: number,
  x: Uint32Array,
  weights: Uint32Array | undefined,
  weightBits: number,
): Promise<Uint32Array> {
  const { party } = ctx;
  const { d1, d2, d3 } = dims;
  const wpv = wordsPerValue(ell);
  const r = ring(ell);
  if (clientChooses(dims, ell, weightBits)) {
    // X1ᵀ (d3 × d2) chooses, Wᵀ (d2 × d1) correlates: shares of (W·X1)ᵀ, d3 × d1.
    const pd = { a: d3, b: d2, c: d1 };
    if (party === SERVER) {
      const w = weights!;
      const share = await cotProductCorrelate(ctx, transpose(w, d1, d2, wpv), pd, ell);
      return ringAdd(r, localMatmul(w, x, d1, d2, d3, ell), transpose(share, d3, d1, wpv));
    }
    const share = await cotProductChoose(ctx, transpose(x, d2, d3, wpv), pd, ell);
    return transpose(share, d3, d1, wpv);
  }
  // W (d1 × d2) chooses, X1 (d2 × d3) correlates: shares of W·X1 directly.
  const pd = { a: d1, b: d2, c: d3 };
  if (party === SERVER) {
    const w = weights!;
    const share = await cotProductChoose(ctx, w, pd, ell, weightBits);
    return ringAdd(r, localMatmul(w, x, d1, d2, d3, ell), share);
  }
  return cotProductCorrelate(ctx, x, pd, ell, weightBits);
}
