/**
 * The few Z_2^ℓ operations correlated OT needs, on the layout of pack.ts — and the one
 * TypeScript implementation of two-limb addition and subtraction (mpc-primitives' ring builds
 * on these rather than keeping its own). Each writes `out` (same length as the inputs; `out`
 * may be an input) and keeps canonical input canonical.
 */
import { topWordMask, wordsPerValue } from './pack.js';

/** a + b mod 2^ℓ for 32 < ℓ ≤ 64 on (lo, hi) limbs; `maskHi` trims the high limb to ℓ − 32. */
export function addLimbs(a: Uint32Array, b: Uint32Array, out: Uint32Array, maskHi: number): void {
  for (let i = 0; i < a.length; i += 2) {
    const aLo = a[i]!;
    const lo = (aLo + b[i]!) >>> 0;
    out[i] = lo;
    // The low word wrapped iff the sum came out below an operand.
    out[i + 1] = (a[i + 1]! + b[i + 1]! + (lo < aLo ? 1 : 0)) & maskHi;
  }
}

/** a − b mod 2^ℓ for 32 < ℓ ≤ 64 on (lo, hi) limbs; `maskHi` trims the high limb to ℓ − 32. */
export function subLimbs(a: Uint32Array, b: Uint32Array, out: Uint32Array, maskHi: number): void {
  for (let i = 0; i < a.length; i += 2) {
    const aLo = a[i]!;
    const bLo = b[i]!;
    out[i] = (aLo - bLo) >>> 0;
    out[i + 1] = (a[i + 1]! - b[i + 1]! - (aLo < bLo ? 1 : 0)) & maskHi;
  }
}

/** out = a + b mod 2^ℓ, elementwise over the whole vectors. */
export function ringAddInto(out: Uint32Array, a: Uint32Array, b: Uint32Array, ell: number): void {
  const mask = topWordMask(ell);
  if (wordsPerValue(ell) === 2) addLimbs(a, b, out, mask);
  else for (let i = 0; i < a.length; i++) out[i] = (a[i]! + b[i]!) & mask;
}

/** out = a − b mod 2^ℓ, elementwise over the whole vectors. */
export function ringSubInto(out: Uint32Array, a: Uint32Array, b: Uint32Array, ell: number): void {
  const mask = topWordMask(ell);
  if (wordsPerValue(ell) === 2) subLimbs(a, b, out, mask);
  else for (let i = 0; i < a.length; i++) out[i] = (a[i]! - b[i]!) & mask;
}

/** out = a ⊕ b over the first `words` words. */
export function xorValues(out: Uint32Array, a: Uint32Array, b: Uint32Array, words: number): void {
  for (let i = 0; i < words; i++) out[i] = (a[i]! ^ b[i]!) >>> 0;
}
