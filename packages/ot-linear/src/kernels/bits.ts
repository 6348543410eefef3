/**
 * The bit side of matrix multiplication on correlated OT. The chooser's element A[p][q] is a
 * signed `bits`-bit integer in two's complement (bits = ℓ for an arbitrary ring element, fewer
 * for weights known to be small):
 *
 *   a = Σ_{i < bits−1} 2^i·a_i − 2^(bits−1)·a_{bits−1},
 *
 * so OT t = (p·b + q)·bits + i handles bit i: its choice bit a_i, its width ℓ − i (the bit-i
 * product 2^i·Δ only keeps Δ's low ℓ − i bits), the output row p and power 2^i it accumulates
 * into, and the row of B it carries — row q, or row q of −B for the sign bit (mod 2^ℓ one OT
 * replaces the ℓ − bits + 1 sign-extension bits of the full width). Pure and synchronous.
 */
import { topWordMask, wordsPerValue } from '@secinfer/ot';

/** OT t = e·bits + i chooses with bit i of element e of A (count elements, Z_2^ℓ layout). */
export function bitChoices(a: Uint32Array, count: number, ell: number, bits: number): Uint8Array {
  const out = new Uint8Array(count * bits);
  const wide = ell > 32;
  for (let e = 0; e < count; e++) {
    const lo = wide ? a[2 * e]! : a[e]!;
    const hi = wide ? a[2 * e + 1]! : 0;
    const o = e * bits;
    for (let i = 0; i < bits && i < 32; i++) out[o + i] = (lo >>> i) & 1;
    for (let i = 32; i < bits; i++) out[o + i] = (hi >>> (i - 32)) & 1;
  }
  return out;
}

/** Width ℓ − i of OT t = e·bits + i, for `count` elements. */
export function bitWidths(count: number, ell: number, bits: number): Uint8Array {
  const out = new Uint8Array(count * bits);
  for (let t = 0; t < out.length; t++) out[t] = ell - (t % bits);
  return out;
}

/**
 * Row of the correlator's [B; −B] (2b rows; just B when bits = ℓ) that OT t = (p·b + q)·bits
 * + i carries: q, or b + q for the sign bit of a narrow A. At full width the sign bit's OT has
 * width 1, where −B and B agree (−x ≡ x mod 2), so B alone serves.
 */
export function bitRows(a: number, b: number, bits: number, ell: number): Uint32Array {
  const out = new Uint32Array(a * b * bits);
  const negated = bits < ell ? b : 0;
  for (let t = 0; t < out.length; t++) {
    const q = Math.floor(t / bits) % b;
    out[t] = t % bits === bits - 1 ? q + negated : q;
  }
  return out;
}

/** Output row p of OT t = (p·b + q)·bits + i (A has b columns). */
export function bitTargets(a: number, b: number, bits: number): Uint32Array {
  const out = new Uint32Array(a * b * bits);
  for (let t = 0; t < out.length; t++) out[t] = Math.floor(t / (b * bits));
  return out;
}

/** The power of two i of OT t = e·bits + i, for `count` elements. */
export function bitShifts(count: number, bits: number): Uint8Array {
  const out = new Uint8Array(count * bits);
  for (let t = 0; t < out.length; t++) out[t] = t % bits;
  return out;
}

/** The accumulator reduced to canonical ℓ-bit values. */
export function reduceAccumulator(acc: Uint32Array, ell: number): Uint32Array {
  const out = new Uint32Array(acc.length);
  const top = topWordMask(ell);
  if (wordsPerValue(ell) === 1) {
    for (let i = 0; i < acc.length; i++) out[i] = acc[i]! & top;
    return out;
  }
  for (let i = 0; i < acc.length; i += 2) {
    out[i] = acc[i]!;
    out[i + 1] = acc[i + 1]! & top;
  }
  return out;
}
