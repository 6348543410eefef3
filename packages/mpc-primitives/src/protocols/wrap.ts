/**
 * The wrap of an additive sharing: XOR shares of w = 1{x0 + x1 ≥ 2^ℓ}, the carry out of adding
 * the two unsigned ℓ-bit shares. Since x0 + x1 ≥ 2^ℓ ⟺ x0 > 2^ℓ − 1 − x1, it is one
 * millionaires' comparison in which the client inputs the bitwise complement of its share.
 * Truncation, division and extension all start from it.
 */
import type { PartyContext } from '../context.js';
import { type Party, SERVER } from '../party.js';
import { ring } from '../ring.js';
import { millionaire, millionaireWithEquality } from './millionaire.js';
import { ringComplement } from './ring-extras.js';

function comparisonInput(party: Party, shares: Uint32Array, ell: number): Uint32Array {
  return party === SERVER ? shares : ringComplement(ring(ell), shares);
}

/** XOR shares of 1{x0 + x1 ≥ 2^ℓ} for unsigned ℓ-bit shares. */
export function wrapOfShares(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
): Promise<Uint8Array> {
  const { party } = ctx;
  return millionaire(ctx, comparisonInput(party, shares, ell), ell);
}

/** Also XOR shares of 1{x0 + x1 = 2^ℓ − 1}: a carry coming in from below would wrap too. */
export function wrapOfSharesWithEquality(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
): Promise<{ greater: Uint8Array; equal: Uint8Array }> {
  const { party } = ctx;
  return millionaireWithEquality(ctx, comparisonInput(party, shares, ell), ell);
}
