/**
 * Faithful truncation (CrypTFlow2 §5, Π_Trunc^{int,ℓ,s}): additive shares of x >> s, the
 * arithmetic shift of a signed ℓ-bit x, exact for every x — where local truncation of the
 * shares errs by one in the last bit, and with small probability by a huge amount.
 *
 * Write each share x_i = u_i·2^s + d_i (d_i its low s bits). With c = 1{d0 + d1 ≥ 2^s} (the
 * carry out of the low part) and w = 1{x0 + x1 ≥ 2^ℓ} (the wrap of the whole sum),
 *   x >>> s = u0 + u1 + c − w·2^(ℓ−s)   (logical shift, mod 2^ℓ).
 * c is one millionaires' comparison on s bits; w = gt ⊕ (eq ∧ c), with gt and eq from one
 * comparison of the upper parts on ℓ − s bits (u0 + u1 ≥ 2^(ℓ−s), or = 2^(ℓ−s) − 1 and the
 * low part carries). Both go to arithmetic by B2A (w only mod 2^s: it is scaled by 2^(ℓ−s)).
 * Signed values: the server adds 2^(ℓ−1) before (making x non-negative) and subtracts
 * 2^(ℓ−1−s) after. The structure follows the C++ reference's truncation.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { type Party, SERVER } from '../party.js';
import { randomBits } from '../random.js';
import { ring, ringAdd, ringLength, ringShiftLeft, ringSub } from '../ring.js';
import { andShares } from './and.js';
import { b2a } from './b2a.js';
import { generateBitTriples } from './bit-triples.js';
import { signBits } from './drelu-ring.js';
import { ringConstant, ringRebase } from './ring-extras.js';
import { wrapOfShares, wrapOfSharesWithEquality } from './wrap.js';

/** The element count, once s is known to be a shift in 1..ℓ−1. Shared with the approximate variant. */
export function checkShift(ell: number, s: number, shares: Uint32Array): number {
  const r = ring(ell);
  if (!Number.isInteger(s) || s < 1 || s >= ell)
    throw new ParameterError(`shift must be an integer in 1..${ell - 1} for ℓ = ${ell}, got ${s}`);
  const n = ringLength(r, shares);
  return n;
}

/** The server's share moved by 2^(ℓ−1), so a signed x becomes a non-negative one. */
export function biased(party: Party, shares: Uint32Array, ell: number, n: number): Uint32Array {
  const r = ring(ell);
  return party === SERVER ? ringAdd(r, shares, ringConstant(r, 2 ** (ell - 1), n)) : shares;
}

/** XOR shares of c = 1{d0 + d1 ≥ 2^s}: the carry out of the low s bits of the two shares. */
function lowCarry(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  s: number,
): Promise<Uint8Array> {
  return wrapOfShares(ctx, ringRebase(ring(ell), shares, 0, ring(s)), s);
}

/**
 * The shares of x >>> s from the upper parts u_i, the low carry c and the wrap w, all shared:
 * u_i + c_i − w_i·2^(ℓ−s). w only matters mod 2^s, being scaled by 2^(ℓ−s), so its B2A is on s bits.
 */
async function combine(
  ctx: PartyContext,
  upper: Uint32Array,
  carry: Uint8Array,
  wrap: Uint8Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  const r = ring(ell);
  const carryArith = await b2a(ctx, carry, ell);
  const wrapArith = ringRebase(ring(s), await b2a(ctx, wrap, s), 0, r);
  return ringSub(r, ringAdd(r, upper, carryArith), ringShiftLeft(r, wrapArith, ell - s));
}

/** Additive shares of x >> s (arithmetic shift) for additively shared signed ℓ-bit x. */
export async function trunc(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  const { party } = ctx;
  const n = checkShift(ell, s, shares);
  const r = ring(ell);
  const x = biased(party, shares, ell, n);
  const upperBits = ell - s;
  const upperRing = ring(upperBits);
  const upper = ringRebase(r, x, s, upperRing);
  const carry = await lowCarry(ctx, x, ell, s);
  // The whole sum wraps if the upper parts do, or sum to all ones and the low part carries.
  const { greater, equal } = await wrapOfSharesWithEquality(ctx, upper, upperBits);
  const triples = await generateBitTriples(ctx, n);
  const eqAndCarry = await andShares(ctx, equal, carry, triples);
  const wrap = greater.map((g, j) => g ^ eqAndCarry[j]!);
  let out = await combine(ctx, ringRebase(upperRing, upper, 0, r), carry, wrap, ell, s);
  if (party === SERVER) out = ringSub(r, out, ringConstant(r, 2 ** (ell - 1 - s), n));
  return out;
}

/**
 * XOR shares of the wrap w = 1{x0 + x1 ≥ 2^ℓ} of a non-negative x (x < 2^(ℓ−1)): then w is
 * msb(x0) ∨ msb(x1), one 1-out-of-2 OT of one bit on the two private MSBs. The server offers
 * r ⊕ (msb0 ∧ b) for b ∈ {0, 1}; the client chooses its own MSB, so the shares
 * msb0 ⊕ r and msb1 ⊕ r ⊕ msb0·msb1 XOR to msb0 ⊕ msb1 ⊕ msb0·msb1 = msb0 ∨ msb1.
 */
export async function wrapOfNonNegative(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
): Promise<Uint8Array> {
  const { party, ot } = ctx;
  const msbBits = signBits(shares, ell);
  const n = msbBits.length;
  if (party === SERVER) {
    const masks = randomBits(n);
    const messages = new Uint8Array(2 * n);
    for (let j = 0; j < n; j++) {
      messages[2 * j] = masks[j]!;
      messages[2 * j + 1] = masks[j]! ^ msbBits[j]!;
    }
    await ot.sendOneOfN(messages, 1, 1);
    return msbBits.map((m, j) => m ^ masks[j]!);
  }
  const product = await ot.receiveOneOfN(msbBits, 1, 1);
  return msbBits.map((m, j) => m ^ product[j]!);
}

/**
 * Additive shares of x >> s for x known to be non-negative (after a ReLU). Then the wrap is
 * msb(x0) ∨ msb(x1) (`wrapOfNonNegative`), which replaces the (ℓ − s)-bit comparison and the AND.
 */
export async function truncNonNegative(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  const r = ring(ell);
  checkShift(ell, s, shares);
  const carry = await lowCarry(ctx, shares, ell, s);
  const wrap = await wrapOfNonNegative(ctx, shares, ell);
  return combine(ctx, ringRebase(r, shares, s, r), carry, wrap, ell, s);
}

/**
 * TruncReduce (CrypTFlow2 §5): additive shares of x >> s over Z_2^(ℓ−s), for layers that go on
 * at the narrower width. Modulo 2^(ℓ−s) the wrap term vanishes, so only the low carry is needed.
 */
export async function truncReduce(
  ctx: PartyContext,
  shares: Uint32Array,
  ell: number,
  s: number,
): Promise<Uint32Array> {
  const { party } = ctx;
  const n = checkShift(ell, s, shares);
  const outBits = ell - s;
  const narrow = ring(outBits);
  const x = biased(party, shares, ell, n);
  const carry = await lowCarry(ctx, x, ell, s);
  let out = ringAdd(narrow, ringRebase(ring(ell), x, s, narrow), await b2a(ctx, carry, outBits));
  if (party === SERVER) out = ringSub(narrow, out, ringConstant(narrow, 2 ** (ell - 1 - s), n));
  return out;
}
