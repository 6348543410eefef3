/**
 * The few Z_2^ℓ operations correlated OT needs, on the project's layout (one word per value
 * for ℓ ≤ 32, (lo, hi) words for ℓ ≤ 64).
 */
import { wordsPerValue } from './pack.js';

function topMask(ell: number): number {
  const bits = ell > 32 ? ell - 32 : ell;
  return bits === 32 ? 0xffffffff : (1 << bits) - 1;
}

/** a + sign·b mod 2^ℓ into `out` (sign ±1), elementwise, `n` values. */
export function addSigned(
  out: Uint32Array,
  a: Uint32Array,
  b: Uint32Array,
  sign: 1 | -1,
  n: number,
  ell: number,
): void {
  const mask = topMask(ell);
  if (wordsPerValue(ell) === 1) {
    for (let j = 0; j < n; j++) out[j] = ((a[j]! + sign * b[j]!) & mask) >>> 0;
    return;
  }
  for (let j = 0; j < 2 * n; j += 2) {
    const lo = a[j]! + sign * b[j]!;
    const carry = Math.floor(lo / 4294967296);
    out[j] = lo >>> 0;
    out[j + 1] = ((a[j + 1]! + sign * b[j + 1]! + carry) & mask) >>> 0;
  }
}

/** a ⊕ b into `out`. */
export function xorValues(out: Uint32Array, a: Uint32Array, b: Uint32Array, words: number): void {
  for (let i = 0; i < words; i++) out[i] = (a[i]! ^ b[i]!) >>> 0;
}
