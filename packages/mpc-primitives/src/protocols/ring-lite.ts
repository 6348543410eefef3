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

/** bit_i · x_i (bits are 0/1, one per element). */
export function ringSelect(x: Uint32Array, bits: Uint8Array, ell: number): Uint32Array {
  const words = wordsPerElement(ell);
  const out = new Uint32Array(x.length);
  for (let j = 0; j < bits.length; j++) {
    if (bits[j]) for (let w = 0; w < words; w++) out[j * words + w] = x[j * words + w]!;
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
