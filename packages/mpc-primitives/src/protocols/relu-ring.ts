/**
 * ReLU over Z_2^ℓ (CrypTFlow2's Π_ReLU^{int,ℓ}): ReLU(x) = DReLU(x) · x, one DReLU and one
 * multiplexer, on additive shares of signed ℓ-bit values.
 */
import type { PartyContext } from '../context.js';
import { dreluRing } from './drelu-ring.js';
import { mux } from './mux.js';

/** Additive shares of max(x, 0) for additively shared signed ℓ-bit x. */
export async function reluRing(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  const positive = await dreluRing(ctx, shares, ell);
  return mux(ctx, positive, shares, ell);
}
