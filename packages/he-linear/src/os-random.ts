/**
 * Operating-system randomness for the flooding noise and the ring masks, through
 * crypto.getRandomValues (global on Node ≥ 20 and in browsers, so no node:crypto import),
 * which fills at most 65,536 bytes per call: larger buffers go in slices.
 */

/** Most bytes one crypto.getRandomValues call may fill. */
const MAX_BYTES = 65536;

/** Fills `out` with uniformly random words and returns it. */
export function osRandomWords(out: Uint32Array): Uint32Array {
  const perCall = MAX_BYTES / Uint32Array.BYTES_PER_ELEMENT;
  for (let i = 0; i < out.length; i += perCall)
    globalThis.crypto.getRandomValues(out.subarray(i, i + perCall));
  return out;
}
