/**
 * W · X with W (d1 × d2) held by the server in the clear and X (d2 × d3) additively shared
 * (X = X0 + X1 mod 2^ℓ), ending in fresh additive shares of the d1 × d3 product — CrypTFlow2's
 * linear layers on OT. W·X0 is local to the server; W·X1 runs on vector correlated OT in one of
 * two orientations, whichever needs fewer OTs (the correlation messages, d1·d2·d3·Σ_i (ℓ − i)
 * bits, are the same in both):
 *
 *   d3 ≤ d1: the client's X1 chooses (X1ᵀ·Wᵀ: d2·d3·ℓ OTs, each a column of W, d1 values);
 *   d3 > d1: the server's W chooses (W·X1: d1·d2·ℓ OTs, each a row of X1, d3 values).
 *
 * Both parties derive the orientation from the same dims. One vector-COT call: O(1) rounds.
 */

import { CLIENT, type Party, ring, ringAdd, SERVER } from '@secinfer/mpc-primitives';
import type { OtPack } from '@secinfer/ot';
import type { Channel } from '@secinfer/transport';
import { OtLinearError } from '../errors.js';
import { localMatmul, transpose } from '../kernels/matrix.js';
import {
  checkDims,
  checkVector,
  checkWeights,
  type MatmulDims,
  requireEll,
  wordsOf,
} from '../shapes.js';
import { cotProductChoose, cotProductCorrelate } from './cot-product.js';

/** Whether the client's share chooses (else the server's weights do): fewer OTs wins. */
export function clientChooses(dims: MatmulDims): boolean {
  return dims.d3 <= dims.d1;
}

/** The OtPack must run on the channel the caller accounts the layer to. */
export function checkChannel(ot: OtPack, channel: Channel, what: string): void {
  if (ot.iknpSender.channel !== channel || ot.iknpReceiver.channel !== channel)
    throw new OtLinearError('BAD_CHANNEL', `${what}: the OtPack runs on a different channel`);
}

/**
 * This party's share of W·X (d1 × d3). `x` is its share of X (d2 × d3, row-major, Z_2^ℓ
 * layout); `weights` W (d1 × d2) is given by the server only. Throws OtLinearError before any
 * I/O on a length, ℓ, weights or channel mismatch.
 */
export async function matmulServerWeights(
  party: Party,
  channel: Channel,
  ot: OtPack,
  dims: MatmulDims,
  ell: number,
  x: Uint32Array,
  weights?: Uint32Array,
): Promise<Uint32Array> {
  const what = 'matmulServerWeights';
  requireEll(ell, what);
  checkDims(dims, what);
  checkParty(party, what);
  checkVector(x, dims.d2 * dims.d3, ell, `${what}: x`);
  checkWeights(party === SERVER, weights, dims.d1 * dims.d2, ell, what);
  checkChannel(ot, channel, what);
  return serverWeightsProduct(party, ot, dims, ell, x, weights);
}

export function checkParty(party: Party, what: string): void {
  if (party !== SERVER && party !== CLIENT)
    throw new OtLinearError('BAD_SHAPE', `${what}: party ${party} is neither SERVER nor CLIENT`);
}

/** The protocol itself, on checked inputs (shared with convolution and fully-connected). */
export async function serverWeightsProduct(
  party: Party,
  ot: OtPack,
  dims: MatmulDims,
  ell: number,
  x: Uint32Array,
  weights: Uint32Array | undefined,
): Promise<Uint32Array> {
  const { d1, d2, d3 } = dims;
  const wpv = wordsOf(ell);
  const r = ring(ell);
  if (clientChooses(dims)) {
    // X1ᵀ (d3 × d2) chooses, Wᵀ (d2 × d1) correlates: shares of (W·X1)ᵀ, d3 × d1.
    const pd = { a: d3, b: d2, c: d1 };
    if (party === SERVER) {
      const w = weights!;
      const share = await cotProductCorrelate(ot.iknpSender, transpose(w, d1, d2, wpv), pd, ell);
      return ringAdd(r, localMatmul(w, x, d1, d2, d3, ell), transpose(share, d3, d1, wpv));
    }
    const share = await cotProductChoose(ot.iknpReceiver, transpose(x, d2, d3, wpv), pd, ell);
    return transpose(share, d3, d1, wpv);
  }
  // W (d1 × d2) chooses, X1 (d2 × d3) correlates: shares of W·X1 directly.
  const pd = { a: d1, b: d2, c: d3 };
  if (party === SERVER) {
    const w = weights!;
    const share = await cotProductChoose(ot.iknpReceiver, w, pd, ell);
    return ringAdd(r, localMatmul(w, x, d1, d2, d3, ell), share);
  }
  return cotProductCorrelate(ot.iknpSender, x, pd, ell);
}
