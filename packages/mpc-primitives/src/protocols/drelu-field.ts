/**
 * DReLU over the prime field Z_p (CrypTFlow2's Π_DReLU^{ring,n}, for the HE backend): XOR
 * shares of 1{x ≤ (p−1)/2} — x is non-negative in the signed view of Z_p — for x = x0 + x1 mod p.
 *
 * With the integer sum S = x0 + x1 ∈ [0, 2p − 2] and h = (p − 1)/2:
 *   wrap = 1{S ≥ p}, and cmp = 1{S > h} if x0 ≤ h, else cmp = 1{S > p + h}.
 * If x0 ≤ h, wrap implies cmp; otherwise cmp implies wrap. Going through the four cases,
 *   DReLU(x) = wrap ⊕ cmp ⊕ 1{x0 ≤ h},
 * so both comparisons run as one batch of millionaires' against the same client input
 * p − 1 − x1 (the server inputs x0 for wrap, and x0 + h or x0 − h − 1 for cmp), sharing their
 * leaf OTs as the C++ reference does, and the result needs no further OT (the reference ends
 * with an extra 1-out-of-4 OT instead).
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { SERVER } from '../party.js';
import { ring, ringFromUnsigned } from '../ring.js';
import { millionaireGrouped } from './millionaire.js';

/** Bits the comparisons need: their largest input is p − 1 + (p − 1)/2. */
export function fieldComparisonBits(p: number): number {
  return Math.ceil(Math.log2(p - 1 + (p - 1) / 2 + 1));
}

/**
 * XOR shares (one 0/1 per byte) of DReLU over Z_p for additive shares in [0, p), held as
 * exact integers in a Float64Array (p < 2^52).
 */
export async function dreluField(
  ctx: PartyContext,
  shares: Float64Array,
  p: number,
): Promise<Uint8Array> {
  const { party } = ctx;
  if (!Number.isSafeInteger(p) || p < 3 || p % 2 === 0 || p >= 2 ** 52) {
    throw new ParameterError(`dreluField needs an odd modulus 3 ≤ p < 2^52, got ${p}`);
  }
  const n = shares.length;
  const h = (p - 1) / 2;
  const ell = fieldComparisonBits(p);
  // The server's comparisons 0..n−1 give wrap and n..2n−1 give cmp, both against the same
  // client input, so they share their leaf OTs (grouped: 4-bit messages).
  const server = party === SERVER;
  const inputs = new Float64Array(server ? 2 * n : n);
  for (let j = 0; j < n; j++) {
    const x = shares[j]!;
    if (!(x >= 0 && x < p && Number.isInteger(x)))
      throw new ParameterError(`share ${j} is ${x}, not an integer in [0, p)`);
    if (server) {
      inputs[j] = x;
      const low = Number(x <= h); // no branch on the share: x + h, or x − h − 1
      inputs[n + j] = x + low * h - (1 - low) * (h + 1);
    } else {
      inputs[j] = p - 1 - x;
    }
  }
  const greater = await millionaireGrouped(ctx, ringFromUnsigned(ring(ell), inputs), ell, 2);
  const drelu = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    drelu[j] = greater[j]! ^ greater[n + j]! ^ (Number(server) & Number(shares[j]! <= h));
  }
  return drelu;
}
