/**
 * Division by a public positive integer d over Z_2^ℓ (CrypTFlow2 §5, the average-pool layers):
 * additive shares of ⌊x / d⌋ for a signed ℓ-bit x, exact for every x (floor, with sign).
 *
 * Let u be x as an unsigned ℓ-bit value, u = x0 + x1 − w·2^ℓ with w the wrap of the shares,
 * x_i = q_i·d + r_i and 2^ℓ = q_N·d + r_N. Then
 *   ⌊u/d⌋ = q0 + q1 − w·q_N + δ,   δ = A + w·(B + C′ − 1 − A),
 * with A = 1{r0+r1 ≥ d}, B = 1{r0+r1 ≥ d + r_N} and C′ = 1{r0+r1 ≥ r_N} — three comparisons of
 * values below 3d, run as one millionaires' batch. For the sign, with m = MSB(u),
 *   ⌊x/d⌋ = ⌊u/d⌋ − m·(q_N + 1{u mod d < r_N}),
 * where u mod d − r_N = r0 + r1 − w·r_N − δ·d − r_N lies in (−d, d), so its sign is one DReLU on
 * bitlen(d) + 1 bits of the shares (reduction mod 2^k is free on additive shares). Bits times
 * public constants go through a scaled B2A. A power-of-two d takes the truncation path.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { type Party, SERVER } from '../party.js';
import {
  checkRingVector,
  ring,
  ringAdd,
  ringFromUnsigned,
  ringMulPublic,
  ringSub,
} from '../ring.js';
import { andShares } from './and.js';
import { b2a, b2aScaled } from './b2a.js';
import { generateBitTriples } from './bit-triples.js';
import { dreluRing } from './drelu-ring.js';
import { millionaire } from './millionaire.js';
import { mux } from './mux.js';
import { ringConstant, ringDivModSmall, ringRebase } from './ring-extras.js';
import { trunc } from './truncation.js';
import { wrapOfShares } from './wrap.js';

/** Largest divisor accepted (remainders are handled as exact doubles). */
export const MAX_DIVISOR = 2 ** 21 - 1;

/** q_N and r_N with 2^ℓ = q_N·d + r_N; q_N in the Z_2^ℓ layout. Pure. */
export function powerOfTwoDivMod(
  ell: number,
  d: number,
): { quotient: Uint32Array; remainder: number } {
  let lo = 0;
  let hi = 0;
  let remainder = 1; // the leading 1 of 2^ℓ, then ℓ zero bits shifted in
  for (let i = 0; i < ell; i++) {
    remainder *= 2;
    const bit = remainder >= d ? 1 : 0;
    if (bit) remainder -= d;
    hi = ((hi << 1) | (lo >>> 31)) >>> 0;
    lo = ((lo << 1) | bit) >>> 0;
  }
  return { quotient: ell <= 32 ? Uint32Array.of(lo) : Uint32Array.of(lo, hi), remainder };
}

export function bitLength(v: number): number {
  return Math.ceil(Math.log2(v + 1));
}

/**
 * Inputs of the comparisons A = 1{r0+r1 ≥ d}, B = 1{r0+r1 ≥ d + r_N}, C′ = 1{r0+r1 ≥ r_N} as one
 * millionaires' batch of 3n (the client's thresholds offset so every input is ≥ 0), and its width.
 */
export function remainderComparisons(
  party: Party,
  remainder: Float64Array,
  d: number,
  rN: number,
): { inputs: Uint32Array; bits: number } {
  const n = remainder.length;
  const server = party === SERVER;
  const inputs = new Uint32Array(3 * n);
  for (let j = 0; j < n; j++) {
    const r = remainder[j]!;
    inputs[j] = server ? r : d - 1 - r;
    inputs[n + j] = server ? r : d + rN - 1 - r;
    inputs[2 * n + j] = server ? r + d : rN - 1 - r + d;
  }
  return { inputs, bits: bitLength(3 * d) };
}

/** Additive shares over Z_2^bits of δ = A + w·(B + C′ − 1 − A), from the shares of A‖B‖C′ and w. */
export async function ringDelta(
  ctx: PartyContext,
  comparisons: Uint8Array,
  wrap: Uint8Array,
  bits: number,
): Promise<Uint32Array> {
  const { party } = ctx;
  const r = ring(bits);
  const n = wrap.length;
  const abc = await b2a(ctx, comparisons, bits);
  const [a, b, c] = [0, 1, 2].map((k) => abc.subarray(k * n * r.words, (k + 1) * n * r.words)) as [
    Uint32Array,
    Uint32Array,
    Uint32Array,
  ];
  let t = ringSub(r, ringAdd(r, b, c), a);
  if (party === SERVER) t = ringSub(r, t, ringConstant(r, 1, n));
  return ringAdd(r, a, await mux(ctx, wrap, t, bits));
}

/** Bits on which u mod d − r_N ∈ (−d, d) is taken: bitlen(d) + 1. */
export function remainderBits(d: number): number {
  return bitLength(d) + 1;
}

/**
 * XOR shares of m ∧ 1{u mod d < r_N}: u mod d − r_N = r0 + r1 − w·r_N − δ·d − r_N lies in
 * (−d, d), so its sign is one DReLU on k = remainderBits(d) bits, from shares of w and δ mod 2^k.
 */
export async function msbAndRemainderBelow(
  ctx: PartyContext,
  msb: Uint8Array,
  remainder: Float64Array,
  wrap: Uint8Array,
  deltaK: Uint32Array,
  d: number,
  rN: number,
): Promise<Uint8Array> {
  const { party } = ctx;
  const k = remainderBits(d);
  const rk = ring(k);
  const server = party === SERVER;
  const wrapK = await b2a(ctx, wrap, k);
  let z = ringSub(
    rk,
    ringSub(rk, ringFromUnsigned(rk, remainder), ringMulPublic(rk, wrapK, rN)),
    ringMulPublic(rk, deltaK, d),
  );
  if (server) z = ringSub(rk, z, ringConstant(rk, rN, msb.length));
  const below = (await dreluRing(ctx, z, k)).map((v) => v ^ (server ? 1 : 0));
  const triples = await generateBitTriples(ctx, msb.length);
  return andShares(ctx, msb, below, triples);
}

/** Additive shares of ⌊x / d⌋ (floor, signed) for additively shared signed ℓ-bit x. */
export async function divRing(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  d: number,
): Promise<Uint32Array> {
  const { party } = ctx;
  const r = ring(ell);
  if (!Number.isInteger(d) || d < 1 || d > MAX_DIVISOR)
    throw new ParameterError(`divisor must be an integer in 1..${MAX_DIVISOR}, got ${d}`);
  checkRingVector(r, shares, 'shares');
  if (d === 1) return shares.slice();
  if ((d & (d - 1)) === 0 && d < 2 ** (ell - 1)) return trunc(ctx, shares, ell, Math.log2(d));
  const server = party === SERVER;
  const { quotient: qN, remainder: rN } = powerOfTwoDivMod(ell, d);

  // Sign and wrap of the shares.
  const positive = await dreluRing(ctx, shares, ell);
  const msb = positive.map((v) => v ^ (server ? 1 : 0));
  const wrap = await wrapOfShares(ctx, shares, ell);

  const { quotient, remainder } = ringDivModSmall(r, shares, d);
  const { inputs, bits } = remainderComparisons(party, remainder, d, rN);
  const comparisons = await millionaire(ctx, inputs, bits);
  const delta = await ringDelta(ctx, comparisons, wrap, ell);
  const unsignedQuotient = ringSub(
    r,
    ringAdd(r, quotient, delta),
    await b2aScaled(ctx, wrap, qN, ell),
  );

  const deltaK = ringRebase(r, delta, 0, ring(remainderBits(d)));
  const msbAndBelow = await msbAndRemainderBelow(ctx, msb, remainder, wrap, deltaK, d, rN);
  const correction = ringAdd(
    r,
    await b2aScaled(ctx, msb, qN, ell),
    await b2a(ctx, msbAndBelow, ell),
  );
  return ringSub(r, unsignedQuotient, correction);
}
