/**
 * Signed extension from m to ℓ > m bits (the inverse step to TruncReduce, SCI's value
 * extension): shares of the same signed value, now over Z_2^ℓ. The server biases the value by
 * 2^(m−1) so it is non-negative; then the m-bit shares only differ from an ℓ-bit sharing by
 * the wrap w = 1{x0 + x1 ≥ 2^m}, one millionaires' comparison on m bits:
 *   x + 2^(m−1) = x0 + x1 − w·2^m,  so  y_i = x_i − w_i·2^m, and the server removes the bias.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { SERVER } from '../party.js';
import { ring, ringAdd, ringLength, ringSub } from '../ring.js';
import { b2aScaled } from './b2a.js';
import { ringConstant, ringRebase } from './ring-extras.js';
import { wrapOfShares } from './wrap.js';

/** Additive shares over Z_2^ℓ of the signed m-bit value shared over Z_2^m. */
export async function signExtend(
  ctx: PartyContext,
  shares: Uint32Array,
  fromBits: number,
  toBits: number,
): Promise<Uint32Array> {
  const { party } = ctx;
  const r = ring(toBits);
  const from = ring(fromBits);
  if (toBits <= fromBits)
    throw new ParameterError(`signExtend widens: ${fromBits} → ${toBits} bits is not wider`);
  const n = ringLength(from, shares);
  const server = party === SERVER;
  const x = server ? ringAdd(from, shares, ringConstant(from, 2 ** (fromBits - 1), n)) : shares;
  const wrap = await wrapOfShares(ctx, x, fromBits);
  const wrapTimesModulus = await b2aScaled(ctx, wrap, ringConstant(r, 2 ** fromBits, 1), toBits);
  let y = ringSub(r, ringRebase(from, x, 0, r), wrapTimesModulus);
  if (server) y = ringSub(r, y, ringConstant(r, 2 ** (fromBits - 1), n));
  return y;
}
