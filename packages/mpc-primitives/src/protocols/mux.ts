/**
 * Multiplexer (CrypTFlow2 §2, SCI's multiplexer): additive shares of sel · x over Z_2^ℓ from
 * XOR-shared bits sel = s0 ⊕ s1 and additively shared x = x0 + x1. Expanding
 *   sel · x = [s0·x0 + s1·x0·(1 − 2·s0)] + [s1·x1 + s0·x1·(1 − 2·s1)],
 * each party i sends a correlated OT with Δ_i = x_i·(1 − 2·s_i), indexed by the other's bit,
 * and outputs s_i·x_i + (what it received) − (its own m0). Two COTs per element, one each way.
 */

import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { SERVER } from '../party.js';
import { ring, ringAdd, ringSub } from '../ring.js';
import { ringNegateWhere, ringSelect } from './ring-extras.js';

/** Additive shares of sel_i · x_i (sel one 0/1 per byte; x in the Z_2^ℓ layout). */
export async function mux(
  ctx: PartyContext,
  sel: Uint8Array,
  x: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  const { party, ot } = ctx;
  const r = ring(ell);
  if (x.length !== sel.length * r.words) {
    throw new ParameterError(`mux: ${sel.length} selection bits for ${x.length / r.words} values`);
  }
  const delta = ringNegateWhere(r, x, sel);
  // One direction after the other on the one channel: the server sends first.
  let sent: Uint32Array;
  let received: Uint32Array;
  if (party === SERVER) {
    sent = await ot.sendCorrelated(delta, ell);
    received = await ot.receiveCorrelated(sel, ell);
  } else {
    received = await ot.receiveCorrelated(sel, ell);
    sent = await ot.sendCorrelated(delta, ell);
  }
  return ringSub(r, ringAdd(r, ringSelect(r, x, sel), received), sent);
}
