/**
 * Boolean to arithmetic (CrypTFlow2 §2 / SCI's B2A): XOR-shared bits b = b0 ⊕ b1 to additive
 * shares over Z_2^ℓ, with one correlated OT per bit. Since b = b0 + b1 − 2·b0·b1, the server
 * sends a COT with Δ = −2·b0 that the client indexes with b1; it gets m0 − 2·b0·b1, so
 * y0 = b0 − m0 and y1 = b1 + (m0 − 2·b0·b1) add up to b.
 */
import { type Party, SERVER } from '../party.js';
import type { OtPort } from './ot-port.js';
import { ringAdd, ringFromBits, ringSub } from './ring-lite.js';
import { checkBitWidth } from './values.js';

/** Additive shares over Z_2^ℓ of the XOR-shared bits (one 0/1 per byte). */
export async function b2a(
  party: Party,
  ot: OtPort,
  bits: Uint8Array,
  ell: number,
): Promise<Uint32Array> {
  checkBitWidth(ell, 64);
  const own = ringFromBits(bits, ell);
  if (ell === 1) return own; // over Z_2, XOR is addition
  if (party === SERVER) {
    const minusTwoB0 = ringSub(new Uint32Array(own.length), ringAdd(own, own, ell), ell);
    const m0 = await ot.sendCorrelated(minusTwoB0, ell);
    return ringSub(own, m0, ell);
  }
  return ringAdd(own, await ot.receiveCorrelated(bits, ell), ell);
}
