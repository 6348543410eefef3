/**
 * Argmax of a shared vector (the network's last layer): a tree of pairwise maxima that carries
 * each candidate's index along, multiplexed by the same comparison bit as its value. Ends in
 * shares of the index and of the maximum; revealing them is the caller's choice. Ties go to
 * the lower index, as in the cleartext argmax.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { SERVER } from '../party.js';
import { ring, ringAdd, ringSub } from '../ring.js';
import { dreluRing } from './drelu-ring.js';
import { mux } from './mux.js';

/** Shares of (index of the maximum, maximum) of n signed ℓ-bit values in [−2^(ℓ−2), 2^(ℓ−2)). */
export async function argmax(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
): Promise<{ index: Uint32Array; value: Uint32Array }> {
  const { party } = ctx;
  const r = ring(ell);
  const words = r.words;
  let count = shares.length / words;
  if (!Number.isInteger(count) || count < 1)
    throw new ParameterError(`argmax needs at least one ${ell}-bit value`);
  if (count >= 2 ** Math.min(ell - 1, 31))
    throw new ParameterError(`argmax: ${count} indices do not fit ${ell}-bit shares`);
  let values = shares;
  // The indices are public at the start: the server holds them, the client holds zeros.
  let indices = new Uint32Array(count * words);
  if (party === SERVER) for (let i = 0; i < count; i++) indices[i * words] = i;
  while (count > 1) {
    const pairs = Math.floor(count / 2);
    const pick = (v: Uint32Array, offset: number) => {
      const out = new Uint32Array(pairs * words);
      for (let p = 0; p < pairs; p++)
        out.set(v.subarray((2 * p + offset) * words, (2 * p + offset + 1) * words), p * words);
      return out;
    };
    const [a, b, ia, ib] = [pick(values, 0), pick(values, 1), pick(indices, 0), pick(indices, 1)];
    // a comes first, so it keeps ties: a wins when a − b ≥ 0.
    const difference = ringSub(r, a, b);
    const aWins = await dreluRing(ctx, difference, ell);
    const both = new Uint32Array(2 * pairs * words);
    both.set(difference);
    both.set(ringSub(r, ia, ib), pairs * words);
    const selectBoth = new Uint8Array(2 * pairs);
    selectBoth.set(aWins);
    selectBoth.set(aWins, pairs);
    const chosen = await mux(ctx, selectBoth, both, ell);
    const next = Math.ceil(count / 2);
    const nextValues = new Uint32Array(next * words);
    const nextIndices = new Uint32Array(next * words);
    nextValues.set(ringAdd(r, b, chosen.subarray(0, pairs * words)));
    nextIndices.set(ringAdd(r, ib, chosen.subarray(pairs * words)));
    if (count % 2 === 1) {
      nextValues.set(values.subarray((count - 1) * words), pairs * words);
      nextIndices.set(indices.subarray((count - 1) * words), pairs * words);
    }
    values = nextValues;
    indices = nextIndices;
    count = next;
  }
  return { index: indices, value: values };
}
