/**
 * Boolean to arithmetic (CrypTFlow2 §2 / SCI's B2A): XOR-shared bits b = b0 ⊕ b1 to additive
 * shares over Z_2^ℓ, with one correlated OT per bit. Since b = b0 + b1 − 2·b0·b1, the server
 * sends a COT with Δ = −2·b0 that the client indexes with b1; it gets m0 − 2·b0·b1, so
 * y0 = b0 − m0 and y1 = b1 + (m0 − 2·b0·b1) add up to b.
 */
import type { PartyContext } from '../context.js';
import { SERVER } from '../party.js';
import { ring, ringAdd, ringFromUnsigned, ringSub } from '../ring.js';
import { ringConstant, ringRepeat, ringSelect } from './ring-extras.js';

/** Additive shares over Z_2^ℓ of the XOR-shared bits (one 0/1 per byte). */
export async function b2a(ctx: PartyContext, bits: Uint8Array, ell: number): Promise<Uint32Array> {
  const r = ring(ell);
  if (ell === 1) return ringFromUnsigned(r, bits); // over Z_2, XOR is addition
  return b2aScaled(ctx, bits, ringConstant(r, 1, 1), ell);
}

/**
 * Additive shares of b·K for XOR-shared bits b and a public ℓ-bit constant K (one element in
 * the Z_2^ℓ layout): the same single COT per bit, with K folded into the correlation
 * (Δ = −2·b0·K), so no multiplication of shares is needed.
 */
export async function b2aScaled(
  ctx: PartyContext,
  bits: Uint8Array,
  constant: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  const { party, ot } = ctx;
  const r = ring(ell);
  const own = ringSelect(r, ringRepeat(r, constant, bits.length), bits); // b_i · K
  if (party === SERVER) {
    const minusTwoB0K = ringSub(r, new Uint32Array(own.length), ringAdd(r, own, own));
    const m0 = await ot.sendCorrelated(minusTwoB0K, ell);
    return ringSub(r, own, m0);
  }
  return ringAdd(r, own, await ot.receiveCorrelated(bits, ell));
}
