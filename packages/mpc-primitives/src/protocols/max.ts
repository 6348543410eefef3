/**
 * Maximum of shared values, pairwise and batched: max(a, b) = b + DReLU(a − b)·(a − b), one
 * DReLU and one multiplexer per pair. Trees of these give maxpool and argmax, one level at a
 * time over every window at once, so the rounds grow with log(window), never with the batch.
 * The differences a − b must not overflow ℓ bits: inputs must lie in [−2^(ℓ−2), 2^(ℓ−2)).
 */
import type { PartyContext } from '../context.js';
import { ring, ringAdd, ringSub } from '../ring.js';
import { dreluRing } from './drelu-ring.js';
import { mux } from './mux.js';

/** Pairwise maxima of a and b (same length), and XOR shares of which side won (1 = a ≥ b). */
export async function maxPairs(
  ctx: PartyContext,
  a: Uint32Array,
  b: Uint32Array,
  ell: number,
): Promise<{ max: Uint32Array; aWins: Uint8Array }> {
  const r = ring(ell);
  const difference = ringSub(r, a, b);
  const aWins = await dreluRing(ctx, difference, ell);
  const max = ringAdd(r, b, await mux(ctx, aWins, difference, ell));
  return { max, aWins };
}

/** Element k of every row of a rows × columns matrix of ℓ-bit shares. Pure. */
export function column(
  matrix: Uint32Array,
  rows: number,
  columns: number,
  k: number,
  ell: number,
): Uint32Array {
  const words = ring(ell).words;
  const out = new Uint32Array(rows * words);
  for (let r = 0; r < rows; r++) {
    for (let w = 0; w < words; w++) out[r * words + w] = matrix[(r * columns + k) * words + w]!;
  }
  return out;
}
