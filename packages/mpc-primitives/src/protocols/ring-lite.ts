/**
 * The few Z_2^ℓ vector operations the boolean/arithmetic protocols need (add, subtract,
 * select, conditional negation) in the project's layout: one word per element for ℓ ≤ 32,
 * two (low, high) for 32 < ℓ ≤ 64. Results are reduced mod 2^ℓ. Pure.
 */
import { wordsPerElement } from './values.js';

function masks(ell: number): [number, number] {
  if (ell <= 32) return [ell === 32 ? 0xffffffff : (2 ** ell - 1) >>> 0, 0];
  return [0xffffffff, ell === 64 ? 0xffffffff : (2 ** (ell - 32) - 1) >>> 0];
}

/** a + sign·b mod 2^ℓ, elementwise, where sign is +1 or −1. */
function addSigned(a: Uint32Array, b: Uint32Array, ell: number, sign: 1 | -1): Uint32Array {
  const [maskLo, maskHi] = masks(ell);
  const out = new Uint32Array(a.length);
  if (wordsPerElement(ell) === 1) {
    for (let i = 0; i < a.length; i++) out[i] = ((a[i]! + sign * b[i]!) & maskLo) >>> 0;
    return out;
  }
  for (let i = 0; i < a.length; i += 2) {
    const low = a[i]! + sign * b[i]!; // exact in a double: |low| < 2^33
    const carry = Math.floor(low / 2 ** 32);
    out[i] = low >>> 0;
    out[i + 1] = ((a[i + 1]! + sign * b[i + 1]! + carry) & maskHi) >>> 0;
  }
  return out;
}

export function ringAdd(a: Uint32Array, b: Uint32Array, ell: number): Uint32Array {
  return addSigned(a, b, ell, 1);
}

export function ringSub(a: Uint32Array, b: Uint32Array, ell: number): Uint32Array {
  return addSigned(a, b, ell, -1);
}

/** bit_i · x_i (bits are 0/1, one per element), without branching on the bits. */
export function ringSelect(x: Uint32Array, bits: Uint8Array, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const out = new Uint32Array(x.length);
  for (let j = 0; j < bits.length; j++) {
    const mask = -bits[j]!; // 0 or all ones
    for (let w = 0; w < words; w++) out[j * words + w] = (x[j * words + w]! & mask) >>> 0;
  }
  return out;
}

/** (1 − 2·bit_i) · x_i: x_i where the bit is 0, −x_i where it is 1. */
export function ringNegateWhere(x: Uint32Array, bits: Uint8Array, ell: number): Uint32Array {
  const selected = ringSelect(x, bits, ell);
  return ringSub(x, ringAdd(selected, selected, ell), ell);
}

/** Each bit as a ring element (0 or 1). */
export function ringFromBits(bits: Uint8Array, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const out = new Uint32Array(bits.length * words);
  for (let j = 0; j < bits.length; j++) out[j * words] = bits[j]!;
  return out;
}

/** Reads element j as a double (exact below 2^53) — for the shifts below. */
function elementAt(x: Uint32Array, words: 1 | 2, j: number): [number, number] {
  return words === 1 ? [x[j]!, 0] : [x[2 * j]!, x[2 * j + 1]!];
}

/**
 * Re-lays out ℓ-bit elements as ℓ'-bit ones, each first shifted right by `shift` (logical) and
 * then reduced mod 2^ℓ' — covering "take the high part", "take the low part" and "widen".
 */
export function ringRebase(
  x: Uint32Array,
  ell: number,
  shift: number,
  outEll: number,
): Uint32Array {
  const inWords = wordsPerElement(ell);
  const outWords = wordsPerElement(outEll);
  const [maskLo, maskHi] = masks(outEll);
  const n = x.length / inWords;
  const out = new Uint32Array(n * outWords);
  for (let j = 0; j < n; j++) {
    let [lo, hi] = elementAt(x, inWords, j);
    if (shift >= 32) {
      lo = hi >>> (shift - 32);
      hi = 0;
    } else if (shift > 0) {
      lo = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
      hi = hi >>> shift;
    }
    out[j * outWords] = (lo & maskLo) >>> 0;
    if (outWords === 2) out[j * 2 + 1] = (hi & maskHi) >>> 0;
  }
  return out;
}

/** x · 2^k mod 2^ℓ. */
export function ringShiftLeft(x: Uint32Array, k: number, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const [maskLo, maskHi] = masks(ell);
  const out = new Uint32Array(x.length);
  for (let j = 0; j < x.length / words; j++) {
    const [lo, hi] = elementAt(x, words, j);
    let outLo: number;
    let outHi: number;
    if (k >= 32) {
      outLo = 0;
      outHi = k >= 64 ? 0 : lo << (k - 32);
    } else if (k > 0) {
      outLo = lo << k;
      outHi = (hi << k) | (lo >>> (32 - k));
    } else {
      [outLo, outHi] = [lo, hi];
    }
    out[j * words] = (outLo & maskLo) >>> 0;
    if (words === 2) out[j * 2 + 1] = (outHi & maskHi) >>> 0;
  }
  return out;
}

/** The public constant c (0 ≤ c < 2^53) repeated n times, reduced mod 2^ℓ. */
export function ringConstant(c: number, n: number, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const [maskLo, maskHi] = masks(ell);
  const out = new Uint32Array(n * words);
  const lo = ((c % 2 ** 32) & maskLo) >>> 0;
  const hi = (Math.floor(c / 2 ** 32) & maskHi) >>> 0;
  for (let j = 0; j < n; j++) {
    out[j * words] = lo;
    if (words === 2) out[j * 2 + 1] = hi;
  }
  return out;
}

/** (2^ℓ − 1) − x: the bitwise complement within ℓ bits. */
export function ringComplement(x: Uint32Array, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const [maskLo, maskHi] = masks(ell);
  const out = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++)
    out[i] = (~x[i]! & (words === 2 && i % 2 === 1 ? maskHi : maskLo)) >>> 0;
  return out;
}

/** One ℓ-bit element (in the layout) repeated n times. */
export function ringRepeat(element: Uint32Array, n: number, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const out = new Uint32Array(n * words);
  for (let j = 0; j < n; j++) out.set(element.subarray(0, words), j * words);
  return out;
}

/** x · c mod 2^ℓ for ℓ ≤ 32 and a public c < 2^32. */
export function ringMulSmall(x: Uint32Array, c: number, ell: number): Uint32Array {
  if (ell > 32) throw new RangeError('ringMulSmall is for ℓ ≤ 32');
  const [mask] = masks(ell);
  return x.map((v) => (Math.imul(v, c) & mask) >>> 0);
}

/**
 * Unsigned quotient and remainder of every element by a public 2 ≤ d < 2^21: long division
 * by 32-bit words, exact in doubles because the running remainder stays below 2^21.
 */
export function ringDivModSmall(
  x: Uint32Array,
  d: number,
  ell: number,
): { quotient: Uint32Array; remainder: Float64Array } {
  const words = wordsPerElement(ell);
  const n = x.length / words;
  const quotient = new Uint32Array(x.length);
  const remainder = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let carry = 0;
    for (let w = words - 1; w >= 0; w--) {
      const t = carry * 2 ** 32 + x[j * words + w]!;
      quotient[j * words + w] = Math.floor(t / d);
      carry = t % d;
    }
    remainder[j] = carry;
  }
  return { quotient, remainder };
}
