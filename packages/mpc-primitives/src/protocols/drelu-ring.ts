/**
 * DReLU over Z_2^ℓ (CrypTFlow2's Π_DReLU^{int,ℓ}): XOR shares of 1{x ≥ 0} for a signed ℓ-bit x held
 * as additive shares x = x0 + x1 mod 2^ℓ.
 *
 * The sign is MSB(x) = msb(x0) ⊕ msb(x1) ⊕ carry, where carry is the carry into bit ℓ−1 when
 * adding the low ℓ−1 bits: the wrap of the shares reduced to ℓ−1 bits, one millionaires'
 * comparison on ℓ−1 bits. DReLU = 1 ⊕ MSB; the server adds the 1 to its share.
 */
import type { PartyContext } from '../context.js';
import { SERVER } from '../party.js';
import { checkRingVector, ring } from '../ring.js';
import { ringRebase } from './ring-extras.js';
import { wrapOfShares } from './wrap.js';

/** Bit ℓ−1 of each share. Pure. */
export function signBits(shares: Uint32Array, ell: number): Uint8Array {
  const words = ring(ell).words;
  const n = shares.length / words;
  const word = (ell - 1) >>> 5;
  const shift = (ell - 1) & 31;
  const out = new Uint8Array(n);
  for (let j = 0; j < n; j++) out[j] = (shares[j * words + word]! >>> shift) & 1;
  return out;
}

/** XOR shares (one 0/1 per byte) of DReLU(x) = 1{x ≥ 0}, x a signed ℓ-bit additively shared value. */
export async function dreluRing(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
): Promise<Uint8Array> {
  const { party } = ctx;
  const r = ring(ell);
  checkRingVector(r, shares, 'shares');
  const drelu = signBits(shares, ell);
  if (ell > 1) {
    const carry = await wrapOfShares(ctx, ringRebase(r, shares, 0, ring(ell - 1)), ell - 1);
    for (let j = 0; j < drelu.length; j++) drelu[j]! ^= carry[j]!;
  }
  if (party === SERVER) for (let j = 0; j < drelu.length; j++) drelu[j]! ^= 1;
  return drelu;
}
