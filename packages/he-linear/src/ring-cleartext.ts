/**
 * The layers in the clear over Z_2^ℓ (ℓ ≤ 41), on doubles holding the canonical values in
 * [0, 2^ℓ): the server's local half of each ring protocol (its weights on its own share) and
 * the tests' oracles. The convolution (and FC) runs in WebAssembly integers that wrap mod 2^32
 * (SIMD lanes, ℓ ≤ 32) or mod 2^64 (above), of which mod 2^ℓ is the low ℓ bits
 * (kernels/ring-conv.ts). Batch norm is exact without BigInt: reduction mod 2^ℓ is
 * r − ⌊r / 2^ℓ⌋·2^ℓ (dividing by a power of two is exact), each product by Horner over the
 * scale's 11-bit digits, split once per channel (each step < 2^52 + 2^52 = 2^53).
 */

import type { ConvLayer } from '@secinfer/mpc-primitives';
import type { BnLayer } from './cleartext.js';
import { convolveRing } from './kernels/ring-conv.js';
import { osRandomWords } from './os-random.js';

const DIGIT = 2048;

/** w's 11-bit digits, most significant first (w in [0, t), t ≤ 2^44). */
function weightDigits(w: number, t: number): number[] {
  const digits: number[] = [];
  for (let scale = 2 ** (11 * (Math.ceil(Math.log2(t) / 11) - 1)); scale >= 1; scale /= DIGIT)
    digits.push(Math.floor(w / scale) % DIGIT);
  return digits;
}

/** a·w mod t (t = 2^ℓ, a in [0, t)) by Horner over w's digits: each step < 2^52 + 2^52. */
function ringProduct(a: number, digits: readonly number[], t: number): number {
  let r = 0;
  for (const digit of digits) {
    r = r * DIGIT + a * digit;
    r -= Math.floor(r / t) * t;
  }
  return r;
}

/** a + b mod t, elementwise. */
export function ringAddValues(t: number, a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const s = a[i]! + b[i]!;
    out[i] = s >= t ? s - t : s;
  }
  return out;
}

/** a − b mod t, elementwise. */
export function ringSubValues(t: number, a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    out[i] = d < 0 ? d + t : d;
  }
  return out;
}

/**
 * n values uniform in [0, 2^ℓ) (ℓ ≤ 53): the low ℓ bits of one random word each for ℓ ≤ 32,
 * of two above. Masks, not `%`: a Uint32 above 2^31 is a double in V8, and `%` on doubles is
 * a library call (it made the masks of one 64-output layer 30 ms).
 */
export function ringRandomValues(ell: number, n: number): Float64Array {
  const out = new Float64Array(n);
  if (ell <= 32) {
    const words = osRandomWords(new Uint32Array(n));
    const shift = 32 - ell;
    for (let i = 0; i < n; i++) out[i] = words[i]! >>> shift;
    return out;
  }
  const words = osRandomWords(new Uint32Array(2 * n));
  const highMask = 2 ** (ell - 32) - 1;
  for (let i = 0; i < n; i++) out[i] = (words[2 * i + 1]! & highMask) * 4294967296 + words[2 * i]!;
  return out;
}

/** Convolution over Z_2^ℓ, NCHW, exact. Every tap is computed (no skipping of zero weights). */
export function conv2dRing(
  t: number,
  layer: ConvLayer,
  x: Float64Array,
  w: Float64Array,
): Float64Array {
  if (t > 2 ** 53) throw new RangeError(`the ring convolution takes ℓ ≤ 53, not ${Math.log2(t)}`);
  return convolveRing(layer, Math.log2(t), x, w);
}

/** Batch norm's multiplication over Z_2^ℓ: y[b, c, p] = scale[c]·x[b, c, p]. */
export function bnRing(
  t: number,
  layer: BnLayer,
  x: Float64Array,
  scale: Float64Array,
): Float64Array {
  const { channels, spatial } = layer;
  const digits = Array.from(scale, (s) => weightDigits(s, t));
  const out = new Float64Array(x.length);
  for (let e = 0; e < x.length; e++)
    out[e] = ringProduct(x[e]!, digits[Math.floor(e / spatial) % channels]!, t);
  return out;
}
