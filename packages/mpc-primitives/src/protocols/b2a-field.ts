/**
 * Boolean to arithmetic over a prime field: additive shares mod n of b·K for XOR-shared bits
 * b and a public K, from one correlated OT mod n per bit (the ring B2A's algebra:
 * b = b0 + b1 − 2·b0·b1, the server's COT carries Δ = −2·b0·K).
 */
import type { PartyContext } from '../context.js';
import { type Field, fieldAdd, fieldMulPublic, fieldSub } from '../field.js';
import { SERVER } from '../party.js';

/** Additive shares mod n of b_i · K (bits one 0/1 per byte; 0 ≤ K < n). */
export async function b2aField(
  ctx: PartyContext,
  bits: Uint8Array,
  f: Field,
  constant = 1,
): Promise<Float64Array> {
  const { party, ot } = ctx;
  const own = fieldMulPublic(f, Float64Array.from(bits), constant); // b_i · K
  if (party === SERVER) {
    const minusTwoB0K = fieldSub(f, new Float64Array(own.length), fieldAdd(f, own, own));
    return fieldSub(f, own, await ot.sendCorrelatedField(minusTwoB0K, f));
  }
  return fieldAdd(f, own, await ot.receiveCorrelatedField(bits, f));
}
