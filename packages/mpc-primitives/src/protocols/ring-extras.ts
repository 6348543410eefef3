/**
 * Z_2^ℓ helpers the protocols need beyond ../ring.ts: selecting by bits, re-laying out between
 * widths, public constants, complements and small divisions. Same layout and conventions
 * (a Ring descriptor first, canonical results, a fresh array each call). Pure.
 */
import type { Ring } from '../ring.js';
import { ringAdd, ringSub } from '../ring.js';

/** bit_i · x_i (bits are 0/1, one per element), without branching on the bits. */
export function ringSelect(r: Ring, x: Uint32Array, bits: Uint8Array): Uint32Array {
  const out = new Uint32Array(x.length);
  for (let j = 0; j < bits.length; j++) {
    const mask = -bits[j]!; // 0 or all ones
    for (let w = 0; w < r.words; w++) out[j * r.words + w] = (x[j * r.words + w]! & mask) >>> 0;
  }
  return out;
}

/** (1 − 2·bit_i) · x_i: x_i where the bit is 0, −x_i where it is 1. */
export function ringNegateWhere(r: Ring, x: Uint32Array, bits: Uint8Array): Uint32Array {
  const selected = ringSelect(r, x, bits);
  return ringSub(r, x, ringAdd(r, selected, selected));
}

/**
 * Elements of `from` shifted right by `shift` (logical) and reduced mod 2^ℓ' of `to` — covering
 * "take the high part", "take the low part" and "widen".
 */
export function ringRebase(from: Ring, x: Uint32Array, shift: number, to: Ring): Uint32Array {
  const n = x.length / from.words;
  const out = new Uint32Array(n * to.words);
  for (let j = 0; j < n; j++) {
    let lo = x[j * from.words]!;
    let hi = from.words === 2 ? x[j * 2 + 1]! : 0;
    if (shift >= 32) {
      lo = hi >>> (shift - 32);
      hi = 0;
    } else if (shift > 0) {
      lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
      hi = hi >>> shift;
    }
    out[j * to.words] = (lo & to.maskLo) >>> 0;
    if (to.words === 2) out[j * 2 + 1] = (hi & to.maskHi) >>> 0;
  }
  return out;
}

/** The public constant c (0 ≤ c ≤ 2^64, exact as a double, e.g. a power of two) n times, mod 2^ℓ. */
export function ringConstant(r: Ring, c: number, n: number): Uint32Array {
  const out = new Uint32Array(n * r.words);
  const lo = ((c % 2 ** 32) & r.maskLo) >>> 0;
  const hi = (Math.floor(c / 2 ** 32) & r.maskHi) >>> 0;
  for (let j = 0; j < n; j++) {
    out[j * r.words] = lo;
    if (r.words === 2) out[j * 2 + 1] = hi;
  }
  return out;
}

/** (2^ℓ − 1) − x: the bitwise complement within ℓ bits. */
export function ringComplement(r: Ring, x: Uint32Array): Uint32Array {
  const out = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++)
    out[i] = (~x[i]! & (r.words === 2 && i % 2 === 1 ? r.maskHi : r.maskLo)) >>> 0;
  return out;
}

/** One element (in the layout) repeated n times. */
export function ringRepeat(r: Ring, element: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(n * r.words);
  for (let j = 0; j < n; j++) out.set(element.subarray(0, r.words), j * r.words);
  return out;
}

/**
 * Unsigned quotient and remainder of every element by a public 2 ≤ d < 2^21: long division
 * by 32-bit words, exact in doubles because the running remainder stays below 2^21.
 */
export function ringDivModSmall(
  r: Ring,
  x: Uint32Array,
  d: number,
): { quotient: Uint32Array; remainder: Float64Array } {
  const n = x.length / r.words;
  const quotient = new Uint32Array(x.length);
  const remainder = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let carry = 0;
    for (let w = r.words - 1; w >= 0; w--) {
      const t = carry * 2 ** 32 + x[j * r.words + w]!;
      quotient[j * r.words + w] = Math.floor(t / d);
      carry = t % d;
    }
    remainder[j] = carry;
  }
  return { quotient, remainder };
}
