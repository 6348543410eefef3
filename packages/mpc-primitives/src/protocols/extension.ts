/**
 * Signed extension from m to ℓ > m bits (the inverse step to TruncReduce, SCI's value
 * extension): shares of the same signed value, now over Z_2^ℓ. The server biases the value by
 * 2^(m−1) so it is non-negative; then the m-bit shares only differ from an ℓ-bit sharing by
 * the wrap w = 1{x0 + x1 ≥ 2^m}, one millionaires' comparison on m bits:
 *   x + 2^(m−1) = x0 + x1 − w·2^m,  so  y_i = x_i − w_i·2^m, and the server removes the bias.
 */
import type { Channel } from '@secinfer/transport';
import { type Party, SERVER } from '../party.js';
import { b2aScaled } from './b2a.js';
import type { OtPort } from './ot-port.js';
import { ringAdd, ringConstant, ringRebase, ringSub } from './ring-lite.js';
import { checkBitWidth, wordsPerElement } from './values.js';
import { wrapOfShares } from './wrap.js';

/** Additive shares over Z_2^ℓ of the signed m-bit value shared over Z_2^m. */
export async function signExtend(
  party: Party,
  channel: Channel,
  ot: OtPort,
  shares: Uint32Array,
  fromBits: number,
  toBits: number,
): Promise<Uint32Array> {
  checkBitWidth(fromBits, 63);
  checkBitWidth(toBits, 64);
  if (toBits <= fromBits)
    throw new RangeError(`signExtend widens: ${fromBits} → ${toBits} bits is not wider`);
  const n = shares.length / wordsPerElement(fromBits);
  if (!Number.isInteger(n))
    throw new RangeError(
      `shares length ${shares.length} is not a multiple of the ${fromBits}-bit element size`,
    );
  const server = party === SERVER;
  const x = server
    ? ringAdd(shares, ringConstant(2 ** (fromBits - 1), n, fromBits), fromBits)
    : shares;
  const wrap = await wrapOfShares(party, channel, ot, x, fromBits);
  const wrapTimesModulus = await b2aScaled(
    party,
    ot,
    wrap,
    ringConstant(2 ** fromBits, 1, toBits),
    toBits,
  );
  let y = ringSub(ringRebase(x, fromBits, 0, toBits), wrapTimesModulus, toBits);
  if (server) y = ringSub(y, ringConstant(2 ** (fromBits - 1), n, toBits), toBits);
  return y;
}
