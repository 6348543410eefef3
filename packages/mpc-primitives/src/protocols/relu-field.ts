/**
 * ReLU over a prime field (CrypTFlow2's Π_ReLU^{ring,n}, the HE backend's activations):
 * ReLU(x) = DReLU(x) · x for x in the signed view of Z_n, one field DReLU and one multiplexer.
 */
import type { PartyContext } from '../context.js';
import type { Field } from '../field.js';
import { dreluField } from './drelu-field.js';
import { muxField } from './mux-field.js';

/** Additive shares mod n of max(x, 0), x additively shared in Z_n (signed view). */
export async function reluField(
  ctx: PartyContext,
  shares: Float64Array,
  f: Field,
): Promise<Float64Array> {
  const positive = await dreluField(ctx, shares, f.n);
  return muxField(ctx, positive, shares, f);
}
