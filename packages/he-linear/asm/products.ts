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
// The module also carries the NTT (ntt.ts) and the row steps of the ring pipeline (rows.ts),
// re-exported at the end: one memory for all of them, so residues are never copied between.

const LIMB: u64 = 30;
const LIMB_MASK: u64 = (1 << 30) - 1;
const CHUNK = 8;

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

/**
 * out ← Σ_{t < count} ct_t ⊙ pt_t for size-2 ciphertexts (2·k·n u64 residues: poly-major,
 * then prime, then coefficient) and plaintexts (k·n), all in NTT form. `terms` holds count
 * pairs of u32 byte addresses (ciphertext, plaintext); `primes` k u64, each below 2^60.
 * With count = 0, out is zero.
 */
export function productSum(out: usize, terms: usize, count: i32, n: i32, k: i32, primes: usize): void {
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const qinv = 1.0 / <f64>q;
    const plainRow = <usize>(j * n) << 3;
    // Both polynomials of the ciphertexts in one pass: each plaintext residue is read and
    // split once.
    const row0 = <usize>(j * n) << 3;
    const row1 = <usize>((k + j) * n) << 3;
    for (let i = 0; i < n; i++) {
      const at = <usize>i << 3;
      let r0: u64 = 0;
      let r1: u64 = 0;
      for (let first = 0; first < count; first += CHUNK) {
        // The previous chunks' residue (< q < 2^60) rides in the low sum: 9·2^60 < 2^64.
        let low0 = r0;
        let middle0: u64 = 0;
        let high0: u64 = 0;
        let low1 = r1;
        let middle1: u64 = 0;
        let high1: u64 = 0;
        const end = min(count, first + CHUNK);
        for (let t = first; t < end; t++) {
          const entry = terms + (<usize>t << 3);
          const ct = <usize>load<u32>(entry) + at;
          const b = load<u64>(<usize>load<u32>(entry, 4) + plainRow + at);
          const b0 = b & LIMB_MASK;
          const b1 = b >> LIMB;
          const a = load<u64>(ct + row0);
          const a0 = a & LIMB_MASK;
          const a1 = a >> LIMB;
          low0 += a0 * b0;
          middle0 += a0 * b1 + a1 * b0;
          high0 += a1 * b1;
          const c = load<u64>(ct + row1);
          const c0 = c & LIMB_MASK;
          const c1 = c >> LIMB;
          low1 += c0 * b0;
          middle1 += c0 * b1 + c1 * b0;
          high1 += c1 * b1;
        }
        r0 = fold(low0, middle0, high0, q, qinv);
        r1 = fold(low1, middle1, high1, q, qinv);
      }
      store<u64>(out + row0 + at, r0);
      store<u64>(out + row1 + at, r1);
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
