// Sums of ciphertext × plaintext products in the NTT domain, the server's inner loop of the
// coefficient-encoded convolution: out = Σ_t ct_t ⊙ pt_t, coefficient by coefficient modulo
// each RNS prime q_j. node-seal spends ≈ 15 ns on each 64-bit modular multiply (its 128-bit
// products are emulated); this loop needs no 128-bit arithmetic and reduces once per
// CHUNK terms instead of once per product.
//
// Each residue (q < 2^60) is split into 30-bit limbs a = a1·2^30 + a0, so every limb product
// is below 2^60 and CHUNK = 8 terms of them sum in u64 without overflow (the middle limbs,
// two products per term, stay below 16·2^60 = 2^64). A chunk's sum S11·2^60 + S10·2^30 + S00
// is folded Horner-style, r ← (r·2^30 + s) mod q, each quotient estimated in float64 (an
// error far below one, so off by at most one) and the remainder taken in wrapping u64
// arithmetic, where the true value lies in [−q, 2q): one correction step.
//
// The limbs are split once per operand, not per product (toProductForm): the "product form"
// of a residue keeps a0 in its word's low 32 bits and a1 in its high 32, so one SIMD
// i64x2.extmul of an operand with a plaintext gives [a0·b0, a1·b1] for one coefficient, and
// with the plaintext's halves swapped [a0·b1, a1·b0] — four limb products in two
// instructions, the 32×32 → 64 multiply every SIMD unit has. Operands are used many times (an
// input by every output group, a kernel by every tile), so the split is paid once.
//
// The loop runs term by term over blocks of BLOCK coefficients, accumulating in BLOCK·64
// bytes of scratch that stay in L1, rather than coefficient by coefficient over all terms: a
// sum of 29 terms reads 87 residue rows at once, more streams than the hardware prefetches,
// and measured 1.6× slower than the same work on cached data. Two terms share each pass over
// the accumulators, halving their loads and stores.
//
// The module also carries the NTT (ntt.ts), the row steps of the ring pipeline (rows.ts) and
// the wire formats of its residues (residue-format.ts), re-exported at the end: one memory
// for all of them, so residues are never copied between.

const LIMB: u64 = 30;
const LIMB_MASK: u64 = (1 << 30) - 1;
const CHUNK = 8;
/** Coefficients per block of the product sum (fewer if n is smaller). */
const BLOCK = 512;
/** Scratch bytes per pair of coefficients: 8 i64x2 accumulators (2 polynomials × 4). */
const PAIR_BYTES = 128;

/** The scratch `productSum` needs, in bytes. */
export function productScratchBytes(n: i32): i32 {
  return (min(n, BLOCK) >> 1) * PAIR_BYTES;
}

/** s mod q for s < 2^64 and 2^40 < q < 2^60 (a quotient below 2^24, estimated to within one). */
// @ts-ignore: decorator
@inline
function reduceWord(s: u64, q: u64, qinv: f64): u64 {
  const estimate = <u64>Math.floor(<f64>s * qinv);
  let t = <i64>(s - estimate * q);
  if (t < 0) t += <i64>q;
  else if (t >= <i64>q) t -= <i64>q;
  return <u64>t;
}

/** (r·2^30 + s) mod q for r < q < 2^60 and s < 2^64. */
// @ts-ignore: decorator
@inline
function shiftAdd(r: u64, s: u64, q: u64, qinv: f64): u64 {
  const estimate = <u64>Math.floor((<f64>r * 1073741824.0 + <f64>s) * qinv);
  let t = <i64>((r << LIMB) + s - estimate * q);
  if (t < 0) t += <i64>q;
  else if (t >= <i64>q) t -= <i64>q;
  return <u64>t;
}

/** (high·2^60 + middle·2^30 + low) mod q. */
// @ts-ignore: decorator
@inline
function fold(low: u64, middle: u64, high: u64, q: u64, qinv: f64): u64 {
  return shiftAdd(shiftAdd(reduceWord(high, q, qinv), middle, q, qinv), low, q, qinv);
}

/** In place: `words` residues (each < 2^60) → product form, a1·2^32 + a0. */
export function toProductForm(at: usize, words: i32): void {
  for (let i = 0; i < words; i++) {
    const p = at + (<usize>i << 3);
    const a = load<u64>(p);
    store<u64>(p, ((a >> LIMB) << 32) | (a & LIMB_MASK));
  }
}

/** The accumulators at `s` (one pair of coefficients) += the limb products of a, c with b. */
// @ts-ignore: decorator
@inline
function accumulate(s: usize, a: v128, c: v128, b: v128, bSwapped: v128): void {
  v128.store(s, i64x2.add(v128.load(s), i64x2.extmul_low_i32x4_u(a, b)));
  v128.store(s, i64x2.add(v128.load(s, 16), i64x2.extmul_high_i32x4_u(a, b)), 16);
  v128.store(s, i64x2.add(v128.load(s, 32), i64x2.extmul_low_i32x4_u(a, bSwapped)), 32);
  v128.store(s, i64x2.add(v128.load(s, 48), i64x2.extmul_high_i32x4_u(a, bSwapped)), 48);
  v128.store(s, i64x2.add(v128.load(s, 64), i64x2.extmul_low_i32x4_u(c, b)), 64);
  v128.store(s, i64x2.add(v128.load(s, 80), i64x2.extmul_high_i32x4_u(c, b)), 80);
  v128.store(s, i64x2.add(v128.load(s, 96), i64x2.extmul_low_i32x4_u(c, bSwapped)), 96);
  v128.store(s, i64x2.add(v128.load(s, 112), i64x2.extmul_high_i32x4_u(c, bSwapped)), 112);
}

/** The same for two terms at once: a, c with b and e, f with d. */
// @ts-ignore: decorator
@inline
function accumulateTwo(s: usize, a: v128, c: v128, b: v128, bs: v128, e: v128, f: v128, d: v128, ds: v128): void {
  v128.store(s, i64x2.add(v128.load(s), i64x2.add(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_low_i32x4_u(e, d))));
  v128.store(s, i64x2.add(v128.load(s, 16), i64x2.add(i64x2.extmul_high_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(e, d))), 16);
  v128.store(s, i64x2.add(v128.load(s, 32), i64x2.add(i64x2.extmul_low_i32x4_u(a, bs), i64x2.extmul_low_i32x4_u(e, ds))), 32);
  v128.store(s, i64x2.add(v128.load(s, 48), i64x2.add(i64x2.extmul_high_i32x4_u(a, bs), i64x2.extmul_high_i32x4_u(e, ds))), 48);
  v128.store(s, i64x2.add(v128.load(s, 64), i64x2.add(i64x2.extmul_low_i32x4_u(c, b), i64x2.extmul_low_i32x4_u(f, d))), 64);
  v128.store(s, i64x2.add(v128.load(s, 80), i64x2.add(i64x2.extmul_high_i32x4_u(c, b), i64x2.extmul_high_i32x4_u(f, d))), 80);
  v128.store(s, i64x2.add(v128.load(s, 96), i64x2.add(i64x2.extmul_low_i32x4_u(c, bs), i64x2.extmul_low_i32x4_u(f, ds))), 96);
  v128.store(s, i64x2.add(v128.load(s, 112), i64x2.add(i64x2.extmul_high_i32x4_u(c, bs), i64x2.extmul_high_i32x4_u(f, ds))), 112);
}

/** [b0, b1] per coefficient → [b1, b0]. */
// @ts-ignore: decorator
@inline
function swapLimbs(b: v128): v128 {
  return i32x4.shuffle(b, b, 1, 0, 3, 2);
}

/**
 * out ← Σ_{t < count} ct_t ⊙ pt_t for size-2 ciphertexts (2·k·n u64 residues: poly-major,
 * then prime, then coefficient) and plaintexts (k·n), all in NTT and product form; out is in
 * NTT form (not product form). `terms` holds count pairs of u32 byte addresses (ciphertext,
 * plaintext); `primes` k u64, each below 2^60; `scratch` productScratchBytes(n) bytes; n a
 * power of two, at least 2. With count = 0, out is zero.
 */
export function productSum(out: usize, terms: usize, count: i32, n: i32, k: i32, primes: usize, scratch: usize): void {
  if (count == 0) {
    memory.fill(out, 0, <usize>(2 * k * n) << 3);
    return;
  }
  const block = min(n, BLOCK);
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const qinv = 1.0 / <f64>q;
    const plainRow = <usize>(j * n) << 3;
    const row0 = <usize>(j * n) << 3;
    const row1 = <usize>((k + j) * n) << 3;
    for (let start = 0; start < n; start += block) {
      const offset = <usize>start << 3;
      for (let first = 0; first < count; first += CHUNK) {
        memory.fill(scratch, 0, <usize>(block >> 1) * PAIR_BYTES);
        const end = min(count, first + CHUNK);
        let t = first;
        for (; t + 1 < end; t += 2) {
          const entry = terms + (<usize>t << 3);
          const ct = <usize>load<u32>(entry) + offset;
          const pt = <usize>load<u32>(entry, 4) + plainRow + offset;
          const ct2 = <usize>load<u32>(entry, 8) + offset;
          const pt2 = <usize>load<u32>(entry, 12) + plainRow + offset;
          for (let i = 0; i < block; i += 2) {
            const at = <usize>i << 3;
            const b = v128.load(pt + at);
            const d = v128.load(pt2 + at);
            accumulateTwo(
              scratch + (<usize>(i >> 1)) * PAIR_BYTES,
              v128.load(ct + row0 + at), v128.load(ct + row1 + at), b, swapLimbs(b),
              v128.load(ct2 + row0 + at), v128.load(ct2 + row1 + at), d, swapLimbs(d),
            );
          }
        }
        if (t < end) {
          const entry = terms + (<usize>t << 3);
          const ct = <usize>load<u32>(entry) + offset;
          const pt = <usize>load<u32>(entry, 4) + plainRow + offset;
          for (let i = 0; i < block; i += 2) {
            const at = <usize>i << 3;
            const b = v128.load(pt + at);
            accumulate(
              scratch + (<usize>(i >> 1)) * PAIR_BYTES,
              v128.load(ct + row0 + at), v128.load(ct + row1 + at), b, swapLimbs(b),
            );
          }
        }
        // Accumulator pair layout: [a0·b0, a1·b1] and [a0·b1, a1·b0] of the first coefficient
        // at 0 and 32, of the second at 16 and 48; the second polynomial's 64 bytes later. The
        // previous chunks' residue (< q < 2^60) rides in the low sum: 9·2^60 < 2^64.
        for (let i = 0; i < block; i += 2) {
          const s = scratch + (<usize>(i >> 1)) * PAIR_BYTES;
          for (let poly = 0; poly < 2; poly++) {
            const o = out + (poly == 0 ? row0 : row1) + offset + (<usize>i << 3);
            const p = s + (<usize>poly << 6);
            for (let c = 0; c < 2; c++) {
              const previous: u64 = first == 0 ? 0 : load<u64>(o + (<usize>c << 3));
              const products = p + (<usize>c << 4);
              store<u64>(
                o + (<usize>c << 3),
                fold(
                  load<u64>(products) + previous,
                  load<u64>(products, 32) + load<u64>(products, 40),
                  load<u64>(products, 8),
                  q,
                  qinv,
                ),
              );
            }
          }
        }
      }
    }
  }
}

/** out ← a ⊙ b mod q_j on k rows of n (out may be a or b). */
export function dyadicProduct(out: usize, a: usize, b: usize, n: i32, k: i32, primes: usize): void {
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const qinv = 1.0 / <f64>q;
    const row = <usize>(j * n) << 3;
    for (let i = 0; i < n; i++) {
      const at = row + (<usize>i << 3);
      const x = load<u64>(a + at);
      const y = load<u64>(b + at);
      const x0 = x & LIMB_MASK;
      const x1 = x >> LIMB;
      const y0 = y & LIMB_MASK;
      const y1 = y >> LIMB;
      store<u64>(out + at, fold(x0 * y0, x0 * y1 + x1 * y0, x1 * y1, q, qinv));
    }
  }
}

export { forwardNtt, inverseNtt } from './ntt';
export { addRows, addScaled, decodeRing, liftSigned, modSwitch } from './rows';
export { packResidues, uniformResidues, unpackResidues } from './residue-format';
export { sparseForwardNtt, spreadFactors, spreadWords } from './sparse-ntt';
