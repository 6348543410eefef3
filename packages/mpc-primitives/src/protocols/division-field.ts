/**
 * Division by a public positive integer d over a prime field Z_p (the HE backend's average
 * pools): additive shares mod p of ⌊x / d⌋ for x in the signed view of Z_p (x > (p−1)/2 is
 * negative), exact for every x — the ring algorithm of division.ts with 2^ℓ replaced by p:
 *
 *   u = x0 + x1 − w·p (w = 1{x0 + x1 ≥ p}),  x_i = q_i·d + r_i,  p = q_p·d + r_p,
 *   ⌊u/d⌋ = q0 + q1 − w·q_p + δ,  δ = A + w·(B + C′ − 1 − A),
 *   ⌊x/d⌋ = ⌊u/d⌋ − m·(q_p + 1{u mod d < r_p}),  m = 1{u > (p−1)/2},
 *
 * with A, B, C′ the same three comparisons of remainders. Reduction mod 2^k is no longer free
 * on shares mod p, so the sign of u mod d − r_p is taken from small-ring copies of w and δ
 * (B2A and MUX on k = bitlen(d) + 1 bits), and the field terms from field B2A and MUX.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { type Field, fieldAdd, fieldSub } from '../field.js';
import { SERVER } from '../party.js';
import { ring, ringFromUnsigned } from '../ring.js';
import { b2aField } from './b2a-field.js';
import {
  bitLength,
  MAX_DIVISOR,
  msbAndRemainderBelow,
  remainderBits,
  remainderComparisons,
  ringDelta,
} from './division.js';
import { dreluField } from './drelu-field.js';
import { millionaire } from './millionaire.js';
import { muxField } from './mux-field.js';

/** Additive shares mod p of ⌊x / d⌋ (floor, signed view of Z_p), x additively shared mod p. */
export async function divField(
  ctx: PartyContext,
  shares: Float64Array,
  f: Field,
  d: number,
): Promise<Float64Array> {
  const { party } = ctx;
  if (!Number.isInteger(d) || d < 1 || d > MAX_DIVISOR)
    throw new ParameterError(`divisor must be an integer in 1..${MAX_DIVISOR}, got ${d}`);
  const p = f.n;
  const n = shares.length;
  if (d === 1) return shares.slice();
  const server = party === SERVER;
  const qP = Math.floor(p / d);
  const rP = p % d;

  // Sign (from the field DReLU) and wrap of the shares: x0 > p − 1 − x1.
  const msb = (await dreluField(ctx, shares, p)).map((v) => v ^ (server ? 1 : 0));
  const pBits = bitLength(p - 1);
  const wrapInputs = ringFromUnsigned(ring(pBits), server ? shares : shares.map((v) => p - 1 - v));
  const wrap = await millionaire(ctx, wrapInputs, pBits);

  const remainder = shares.map((v) => v % d);
  const quotient = shares.map((v) => Math.floor(v / d));
  const { inputs, bits } = remainderComparisons(party, remainder, d, rP);
  const comparisons = await millionaire(ctx, inputs, bits);

  // δ in the field, and again on k bits for the remainder's sign.
  const abc = await b2aField(ctx, comparisons, f);
  const [a, b, c] = [0, 1, 2].map((k) => abc.subarray(k * n, (k + 1) * n)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let t = fieldSub(f, fieldAdd(f, b, c), a);
  if (server) t = fieldSub(f, t, new Float64Array(n).fill(1));
  const delta = fieldAdd(f, a, await muxField(ctx, wrap, t, f));
  const unsignedQuotient = fieldSub(
    f,
    fieldAdd(f, quotient, delta),
    await b2aField(ctx, wrap, f, qP),
  );

  const deltaK = await ringDelta(ctx, comparisons, wrap, remainderBits(d));
  const msbAndBelow = await msbAndRemainderBelow(ctx, msb, remainder, wrap, deltaK, d, rP);
  const correction = fieldAdd(
    f,
    await b2aField(ctx, msb, f, qP),
    await b2aField(ctx, msbAndBelow, f),
  );
  return fieldSub(f, unsignedQuotient, correction);
}
