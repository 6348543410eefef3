/**
 * The product of two matrices held by different parties, A (a × b, the chooser's) and B
 * (b × c, the correlator's), into additive shares over Z_2^ℓ on vector correlated OT — the
 * core of CrypTFlow2's linear layers on OT:
 *
 *   A·B [p][·] = Σ_q Σ_{i<ℓ} 2^i · a_{pq,i} · B[q][·],
 *
 * so one OT per bit a_{pq,i} of A, with choice a_{pq,i} and correlation vector B[q][·] (c
 * values) reduced mod 2^{ℓ−i}: only those bits survive the factor 2^i. The correlator gets m0
 * and keeps −Σ 2^i·m0; the chooser gets m0 + a_{pq,i}·B[q] and keeps Σ 2^i·(m0 + a·B) — the
 * OT layer accumulates both straight into the a × c shares (no per-OT output is stored).
 * When A's elements are known to be signed `bits`-bit integers (small weights), the sign bit
 * carries −B and the bits above it need no OT (see kernels/bits.ts): a·b·bits OTs in one
 * vector-COT call (O(1) rounds), c·Σ_{i<bits} (ℓ − i) bits of messages per element of A.
 */

import { type PartyContext, type Ring, ring, ringNeg } from '@secinfer/mpc-primitives';
import { type VectorCotAccumulator, wordsPerValue } from '@secinfer/ot';
import {
  bitChoices,
  bitRows,
  bitShifts,
  bitTargets,
  bitWidths,
  reduceAccumulator,
} from '../kernels/bits.js';
import { checkFitsSigned, requireBits } from '../shapes.js';

/** The shapes of A (a × b) and B (b × c). */
export interface ProductDims {
  a: number;
  b: number;
  c: number;
}

/** The accumulator both sides add their OT outputs into (a × c, 2^shift-weighted). */
function accumulator(dims: ProductDims, ell: number, bits: number): VectorCotAccumulator {
  return {
    acc: new Uint32Array(dims.a * dims.c * wordsPerValue(ell)),
    targets: bitTargets(dims.a, dims.b, bits),
    shifts: bitShifts(dims.a * dims.b, bits),
  };
}

/**
 * The chooser's side: its A, whose bits choose; returns its share of A·B (a × c). `bits` < ℓ
 * when every element of A is a signed `bits`-bit integer (checked before any I/O); both sides
 * must pass the same value.
 */
export async function cotProductChoose(
  ctx: PartyContext,
  a: Uint32Array,
  dims: ProductDims,
  ell: number,
  bits = ell,
): Promise<Uint32Array> {
  requireBits(bits, ell, 'cotProductChoose');
  checkFitsSigned(a, dims.a * dims.b, ell, bits, 'cotProductChoose');
  const out = accumulator(dims, ell, bits);
  const widths = bitWidths(dims.a * dims.b, ell, bits);
  await ctx.ot.receiveVectorCorrelated(
    bitChoices(a, dims.a * dims.b, ell, bits),
    { k: dims.c, ell, widths },
    out,
  );
  return reduceAccumulator(out.acc, ell);
}

/** The correlator's side: its B, whose rows are the correlations; returns its share of A·B. */
export async function cotProductCorrelate(
  ctx: PartyContext,
  b: Uint32Array,
  dims: ProductDims,
  ell: number,
  bits = ell,
): Promise<Uint32Array> {
  requireBits(bits, ell, 'cotProductCorrelate');
  const out = accumulator(dims, ell, bits);
  const widths = bitWidths(dims.a * dims.b, ell, bits);
  const rows = bits < ell ? withNegated(ring(ell), b) : b;
  await ctx.ot.sendVectorCorrelated(
    rows,
    bitRows(dims.a, dims.b, bits, ell),
    { k: dims.c, ell, widths },
    out,
  );
  return reduceAccumulator(out.acc, ell);
}

/** [B; −B]: the rows the sign bits of a narrow A carry follow B's. */
export function withNegated(r: Ring, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(2 * b.length);
  out.set(b);
  out.set(ringNeg(r, b), b.length);
  return out;
}
