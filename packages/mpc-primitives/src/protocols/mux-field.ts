/**
 * Multiplexer over a prime field (the HE backend's domain): additive shares of sel · x mod n
 * from XOR-shared bits sel = s0 ⊕ s1 and x = x0 + x1 mod n — the ring multiplexer's algebra,
 *   sel · x = [s0·x0 + s1·x0·(1 − 2·s0)] + [s1·x1 + s0·x1·(1 − 2·s1)]  (mod n),
 * with correlated OTs mod n, one each way per element.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { type Field, fieldAdd, fieldSub } from '../field.js';
import { SERVER } from '../party.js';

/** sel_i · x_i as exact doubles (sel is 0/1), without branching on the bits. */
function select(x: Float64Array, sel: Uint8Array): Float64Array {
  return x.map((v, i) => v * sel[i]!);
}

/** Additive shares mod n of sel_i · x_i (sel one 0/1 per byte; x in [0, n)). */
export async function muxField(
  ctx: PartyContext,
  sel: Uint8Array,
  x: Float64Array,
  f: Field,
): Promise<Float64Array> {
  const { party, ot } = ctx;
  if (sel.length !== x.length)
    throw new ParameterError(`muxField: ${sel.length} selection bits for ${x.length} values`);
  const selected = select(x, sel);
  const delta = fieldSub(f, x, fieldAdd(f, selected, selected)); // x·(1 − 2·s)
  let sent: Float64Array;
  let received: Float64Array;
  if (party === SERVER) {
    sent = await ot.sendCorrelatedField(delta, f);
    received = await ot.receiveCorrelatedField(sel, f);
  } else {
    received = await ot.receiveCorrelatedField(sel, f);
    sent = await ot.sendCorrelatedField(delta, f);
  }
  return fieldSub(f, fieldAdd(f, selected, received), sent);
}
