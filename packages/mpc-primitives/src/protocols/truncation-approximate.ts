/**
 * Approximate truncation (the one-bit-error truncation of Cheetah, Huang et al., USENIX
 * Security 2022, §4): shares of ⌊x / 2^s⌋ − c with c ∈ {0, 1}, i.e. the arithmetic shift of a
 * signed ℓ-bit x, or one less. OPT-IN ONLY: the project's promise — secure equals cleartext
 * fixed point bit for bit — holds for the faithful `trunc`, not for this.
 *
 * With x_i = u_i·2^s + d_i, c = 1{d0 + d1 ≥ 2^s} and w = 1{x0 + x1 ≥ 2^ℓ} (as in `trunc`),
 *   x >>> s = u0 + u1 + c − w·2^(ℓ−s);
 * this variant drops the carry c — the s-bit comparison, its B2A, and the equality and AND
 * that the faithful wrap needs to know whether that carry propagates — and computes
 *   u0 + u1 − w'·2^(ℓ−s),   w' = 1{x0 + x1 ≥ 2^ℓ} from one comparison of the full shares.
 * Since u0 + u1 − w'·2^(ℓ−s) = (x >>> s) − c exactly (w' is the true wrap), the error is −c:
 * never more than one LSB, never upward, for every input — no headroom assumption on |x|.
 * Signed values are biased by 2^(ℓ−1) as in `trunc`; the non-negative variant takes the
 * wrap from the two MSBs. Cost: one ℓ-bit millionaire and an s-bit B2A (signed); one 1-bit OT
 * and an s-bit B2A (non-negative).
 */
import type { PartyContext } from '../context.js';
import { SERVER } from '../party.js';
import { ring, ringShiftLeft, ringSub } from '../ring.js';
import { b2a } from './b2a.js';
import { ringConstant, ringRebase } from './ring-extras.js';
import { biased, checkShift, wrapOfNonNegative } from './truncation.js';
import { wrapOfShares } from './wrap.js';

/** Shares of u0 + u1 − w·2^(ℓ−s): the upper parts, minus the wrap (only its value mod 2^s matters). */
async function upperMinusWrap(
  ctx: PartyContext,
  x: Uint32Array,
  wrap: Uint8Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  const r = ring(ell);
  const wrapArith = ringRebase(ring(s), await b2a(ctx, wrap, s), 0, r);
  return ringSub(r, ringRebase(r, x, s, r), ringShiftLeft(r, wrapArith, ell - s));
}

/** Additive shares of (x >> s) − c, c ∈ {0, 1}, for additively shared signed ℓ-bit x. */
export async function truncApproximate(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  const n = checkShift(ell, s, shares);
  const x = biased(ctx.party, shares, ell, n);
  const wrap = await wrapOfShares(ctx, x, ell);
  const out = await upperMinusWrap(ctx, x, wrap, ell, s);
  if (ctx.party !== SERVER) return out;
  const r = ring(ell);
  return ringSub(r, out, ringConstant(r, 2 ** (ell - 1 - s), n));
}

/** The same for x known to be non-negative (after a ReLU): the wrap from the two MSBs. */
export async function truncApproximateNonNegative(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  checkShift(ell, s, shares);
  const wrap = await wrapOfNonNegative(ctx, shares, ell);
  return upperMinusWrap(ctx, shares, wrap, ell, s);
}
