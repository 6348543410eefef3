/**
 * Truncation by 2^s over a prime field Z_p (the HE backend's rescaling after every linear
 * layer): additive shares mod p of ⌊x / 2^s⌋ for x in the signed view of Z_p, exact for every
 * x. It needs p ≡ 1 mod 2^(s+1) — true of every BFV batching prime for the scales that fit
 * (p ≡ 1 mod 2N) — and then costs one ℓ-bit comparison and one s-bit comparison, against the
 * general division's (division-field.ts) DReLU, wrap and three remainder comparisons: ≈ 3×
 * fewer bytes.
 *
 * The server first adds H = (p − 1)/2, a multiple of 2^s, so v = x + H lies in [0, p) as an
 * integer, and ⌊x/2^s⌋ = ⌊v/2^s⌋ − H/2^s. With v_i = u_i·2^s + d_i (d_i the low s bits of the
 * shares), p = P·2^s + 1 and w = 1{v0 + v1 ≥ p}:
 *
 *   v = (u0 + u1 − w·P)·2^s + (d0 + d1 − w),   ⌊v/2^s⌋ = u0 + u1 − w·P + δ,
 *   δ = ⌊(d0 + d1 − w) / 2^s⌋ ∈ {−1, 0, 1}.
 *
 * One comparison of d0 with d1′ = d1 − 1 mod 2^s (with equality) gives gt = 1{d0 + d1′ ≥ 2^s}
 * and eq = 1{d0 + d1′ = 2^s − 1}; with the client's own z = 1{d1 = 0}, case analysis gives
 *
 *   δ = (1 − z)·(gt ⊕ eq) − (eq ∧ w)
 *
 * (z = 0: d0 + d1′ = D − 1, so 1{D ≥ 2^s} = gt ⊕ eq and D ≡ 0 mod 2^s ⟺ eq; z = 1: D = d0 < 2^s
 * and δ = −1 exactly when w = 1 and d0 = 0, i.e. eq). Two ANDs, then B2A mod p of w (times P)
 * and of the two terms of δ.
 *
 * After a ReLU (x ∈ [0, (p − 1)/2]) the offset is not needed and w is the OR of the shares'
 * high halves: truncFieldNonNegative saves the ⌈log2 p⌉-bit comparison, about half the bytes.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { type Field, fieldAdd, fieldSub } from '../field.js';
import { SERVER } from '../party.js';
import { ring, ringFromUnsigned } from '../ring.js';
import { andShares } from './and.js';
import { b2aField } from './b2a-field.js';
import { generateBitTriples } from './bit-triples.js';
import { bitLength } from './division.js';
import { millionaire } from './millionaire.js';
import { wrapOfSharesWithEquality } from './wrap.js';

/** Whether truncField supports a shift of s bits over Z_p: 1 ≤ s and 2^(s+1) divides p − 1. */
export function truncFieldSupports(p: number, s: number): boolean {
  return Number.isInteger(s) && s >= 1 && (p - 1) % 2 ** (s + 1) === 0;
}

/** Additive shares mod p of ⌊x / 2^s⌋ (floor, signed view of Z_p), x additively shared mod p. */
export async function truncField(
  ctx: PartyContext,
  shares: Float64Array,
  f: Field,
  s: number,
): Promise<Float64Array> {
  const { party } = ctx;
  checkShift(f.n, s, 'truncField');
  const p = f.n;
  const server = party === SERVER;
  const half = (p - 1) / 2;
  const v = server ? shares.map((x) => (x + half) % p) : shares;
  // w = 1{v0 + v1 ≥ p} = 1{v0 > p − 1 − v1}.
  const pBits = bitLength(p - 1);
  const wrapInputs = ringFromUnsigned(ring(pBits), server ? v : v.map((x) => p - 1 - x));
  const wrap = await millionaire(ctx, wrapInputs, pBits);
  const out = await shiftWithWrap(ctx, v, wrap, f, s);
  return server ? fieldSub(f, out, new Float64Array(shares.length).fill(half / 2 ** s)) : out;
}

/**
 * truncField for x known to lie in [0, (p − 1)/2] (after a ReLU): no offset, and the wrap
 * w = 1{x0 + x1 ≥ p} needs no comparison. With high_i = 1{x_i > (p − 1)/2}: both high means
 * a sum ≥ p + 1; neither, a sum < p; exactly one, a sum > (p − 1)/2 that cannot be x itself,
 * so it wrapped. Hence w = high0 ∨ high1 — one AND instead of a ⌈log2 p⌉-bit millionaires'.
 */
export async function truncFieldNonNegative(
  ctx: PartyContext,
  shares: Float64Array,
  f: Field,
  s: number,
): Promise<Float64Array> {
  const { party } = ctx;
  checkShift(f.n, s, 'truncFieldNonNegative');
  const server = party === SERVER;
  const n = shares.length;
  const high = new Uint8Array(n);
  for (let j = 0; j < n; j++) high[j] = Number(shares[j]! > (f.n - 1) / 2);
  // high0 ∧ high1 on XOR shares (high0, 0) and (0, high1); then w = high0 ⊕ high1 ⊕ that.
  const mine = high;
  const none = new Uint8Array(n);
  const both = await andShares(
    ctx,
    server ? mine : none,
    server ? none : mine,
    await generateBitTriples(ctx, n),
  );
  const wrap = both.map((b, j) => b ^ high[j]!);
  return shiftWithWrap(ctx, shares, wrap, f, s);
}

function checkShift(p: number, s: number, what: string): void {
  if (!truncFieldSupports(p, s))
    throw new ParameterError(
      `${what} needs a shift s ≥ 1 with p ≡ 1 mod 2^(s+1); p = ${p}, s = ${s} (use divField)`,
    );
}

/**
 * Shares of ⌊v/2^s⌋ for v = v0 + v1 mod p given shares of its wrap w = 1{v0 + v1 ≥ p}: the
 * low bits' comparison, δ, and the B2As (see the top of the file).
 */
async function shiftWithWrap(
  ctx: PartyContext,
  v: Float64Array,
  wrap: Uint8Array,
  f: Field,
  s: number,
): Promise<Float64Array> {
  const { party } = ctx;
  const p = f.n;
  const server = party === SERVER;
  const n = v.length;
  const low = 2 ** s;
  // gt, eq of d0 against d1′ = d1 − 1 mod 2^s; the client's z = 1{d1 = 0} stays private.
  const lowBits = v.map((x) => x % low);
  const compared = server ? lowBits : lowBits.map((d) => (d + low - 1) % low);
  const { greater, equal } = await wrapOfSharesWithEquality(
    ctx,
    ringFromUnsigned(ring(s), compared),
    s,
  );

  // (gt ⊕ eq) ∧ (1 − z) and eq ∧ w in one AND batch; (1 − z) is shared as (0, 1 − z).
  const left = new Uint8Array(2 * n);
  const right = new Uint8Array(2 * n);
  for (let j = 0; j < n; j++) {
    left[j] = greater[j]! ^ equal[j]!;
    right[j] = server ? 0 : Number(lowBits[j] !== 0);
    left[n + j] = equal[j]!;
    right[n + j] = wrap[j]!;
  }
  const triples = await generateBitTriples(ctx, 2 * n);
  const terms = await andShares(ctx, left, right, triples);

  const deltaTerms = await b2aField(ctx, terms, f);
  const wrapTimesP = await b2aField(ctx, wrap, f, (p - 1) / low);
  const upper = v.map((x) => Math.floor(x / low));
  return fieldSub(
    f,
    fieldAdd(f, upper, deltaTerms.subarray(0, n)),
    fieldAdd(f, deltaTerms.subarray(n), wrapTimesP),
  );
}
