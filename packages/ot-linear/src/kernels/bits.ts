/**
 * The bit side of matrix multiplication on correlated OT, OT t = (p·b + q)·ℓ + i for bit i of
 * A[p][q]: its choice bit, its width ℓ − i (the bit-i product 2^i·Δ only keeps Δ's low ℓ − i
 * bits), the row q of B it carries, the output row p and power 2^i it accumulates into, and
 * the final reduction of the accumulator to ℓ bits. Pure and synchronous.
 */

/** OT t = (p·b + q)·ℓ + i chooses with bit i of A[p][q] (A has a·b elements). */
export function bitChoices(a: Uint32Array, count: number, ell: number): Uint8Array {
  const out = new Uint8Array(count * ell);
  const wide = ell > 32;
  for (let e = 0; e < count; e++) {
    const lo = wide ? a[2 * e]! : a[e]!;
    const hi = wide ? a[2 * e + 1]! : 0;
    const o = e * ell;
    for (let i = 0; i < ell && i < 32; i++) out[o + i] = (lo >>> i) & 1;
    for (let i = 32; i < ell; i++) out[o + i] = (hi >>> (i - 32)) & 1;
  }
  return out;
}

/** Width ℓ − i of OT t = e·ℓ + i, for `count` elements. */
export function bitWidths(count: number, ell: number): Uint8Array {
  const out = new Uint8Array(count * ell);
  for (let t = 0; t < out.length; t++) out[t] = ell - (t % ell);
  return out;
}

/** Row q of B (b rows) that OT t = (p·b + q)·ℓ + i carries. */
export function bitRows(a: number, b: number, ell: number): Uint32Array {
  const out = new Uint32Array(a * b * ell);
  for (let t = 0; t < out.length; t++) out[t] = Math.floor(t / ell) % b;
  return out;
}

/** Output row p of OT t = (p·b + q)·ℓ + i (A has b columns). */
export function bitTargets(a: number, b: number, ell: number): Uint32Array {
  const out = new Uint32Array(a * b * ell);
  for (let t = 0; t < out.length; t++) out[t] = Math.floor(t / (b * ell));
  return out;
}

/** The power of two i of OT t = e·ℓ + i, for `count` elements. */
export function bitShifts(count: number, ell: number): Uint8Array {
  const out = new Uint8Array(count * ell);
  for (let t = 0; t < out.length; t++) out[t] = t % ell;
  return out;
}

/** The accumulator reduced to canonical ℓ-bit values. */
export function reduceAccumulator(acc: Uint32Array, ell: number): Uint32Array {
  const out = new Uint32Array(acc.length);
  if (ell <= 32) {
    const mask = ell === 32 ? -1 : (1 << ell) - 1;
    for (let i = 0; i < acc.length; i++) out[i] = acc[i]! & mask;
    return out;
  }
  const maskHi = ell === 64 ? -1 : (1 << (ell - 32)) - 1;
  for (let i = 0; i < acc.length; i += 2) {
    out[i] = acc[i]!;
    out[i + 1] = acc[i + 1]! & maskHi;
  }
  return out;
}
