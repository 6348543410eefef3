// Coefficient-wise steps of the ring pipeline on residue rows (n u64 each; a polynomial is k
// rows, one per RNS prime, a ciphertext two polynomials): lifting signed integers, adding,
// BFV's modulus switching (SEAL's divide-and-round by the last prime, step for step, so the
// result is SEAL's), and the ring's decoding at one prime, m = ⌊2^ℓ·x/q⌉ mod 2^ℓ.

import { mulShoup } from './ntt';

/** out[j·n + i] ← values[i] mod q_j for n signed integers (f64, |v| < q_j), k primes. */
export function liftSigned(out: usize, values: usize, n: i32, k: i32, primes: usize): void {
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const row = out + (<usize>(j * n) << 3);
    for (let i = 0; i < n; i++) {
      const v = load<f64>(values + (<usize>i << 3));
      store<u64>(row + (<usize>i << 3), v < 0 ? q - <u64>-v : <u64>v);
    }
  }
}

/**
 * c0[j·n + i] ← c0[j·n + i] + Δ_j·m_i mod q_j, BFV's scaled message: m_i < 2^53 (f64), and per
 * prime j of k three words in `deltas`: q_j, Δ_j = Δ mod q_j, its Shoup quotient.
 */
export function addScaled(c0: usize, values: usize, n: i32, k: i32, deltas: usize): void {
  for (let j = 0; j < k; j++) {
    const entry = deltas + <usize>(24 * j);
    const q = load<u64>(entry);
    const delta = load<u64>(entry, 8);
    const shoup = load<u64>(entry, 16);
    const row = c0 + (<usize>(j * n) << 3);
    for (let i = 0; i < n; i++) {
      const at = row + (<usize>i << 3);
      let scaled = mulShoup(<u64>load<f64>(values + (<usize>i << 3)), delta, shoup, q);
      if (scaled >= q) scaled -= q;
      const sum = load<u64>(at) + scaled;
      store<u64>(at, sum >= q ? sum - q : sum);
    }
  }
}

/** out ← out + a, row by row: `rows` rows of n, row r mod primes[r % k]. */
export function addRows(out: usize, a: usize, rows: i32, n: i32, k: i32, primes: usize): void {
  for (let r = 0; r < rows; r++) {
    const q = load<u64>(primes + (<usize>(r % k) << 3));
    const offset = <usize>(r * n) << 3;
    for (let i = 0; i < n; i++) {
      const at = offset + (<usize>i << 3);
      const s = load<u64>(out + at) + load<u64>(a + at);
      store<u64>(out + at, s >= q ? s - q : s);
    }
  }
}

/**
 * In place, `polys` polynomials of k rows (coefficient form) → the same at k − 1 primes,
 * packed (poly-major): c_j ← (c_j − ((c_last + h) mod q_last − h)) · q_last^−1 mod q_j with
 * h = ⌊q_last/2⌋, the rounded division by q_last. `constants`: q_last, h, then per j < k − 1
 * four words: q_j, q_last^−1 mod q_j, its Shoup quotient, h mod q_j.
 */
export function modSwitch(at: usize, n: i32, k: i32, polys: i32, constants: usize): void {
  const qLast = load<u64>(constants);
  const half = load<u64>(constants, 8);
  for (let p = 0; p < polys; p++) {
    const last = at + (<usize>((p * k + k - 1) * n) << 3);
    for (let i = 0; i < n; i++) {
      const c = load<u64>(last + (<usize>i << 3)) + half;
      store<u64>(last + (<usize>i << 3), c >= qLast ? c - qLast : c);
    }
    for (let j = 0; j < k - 1; j++) {
      const entry = constants + 16 + (<usize>j << 5);
      const q = load<u64>(entry);
      const inverse = load<u64>(entry, 8);
      const shoup = load<u64>(entry, 16);
      const halfMod = load<u64>(entry, 24);
      const from = at + (<usize>((p * k + j) * n) << 3);
      const to = at + (<usize>((p * (k - 1) + j) * n) << 3);
      for (let i = 0; i < n; i++) {
        let r = load<u64>(last + (<usize>i << 3)) % q;
        r = r >= halfMod ? r - halfMod : r + q - halfMod;
        const c = load<u64>(from + (<usize>i << 3));
        let x = mulShoup(c >= r ? c - r : c + q - r, inverse, shoup, q);
        if (x >= q) x -= q;
        store<u64>(to + (<usize>i << 3), x);
      }
    }
  }
}

/**
 * The ring's decoding at one prime q < 2^60: out[i] ← m_i mod 2^ℓ (f64) with
 * m_i = ⌊(2^ℓ·x_i + ⌊q/2⌋)/q⌋, for ℓ ≤ 41. Returns the largest |2^ℓ·x_i − m_i·q| (the noise
 * budget's measure). m_i is estimated in float64 (an error far below one) and corrected on
 * the remainder, taken in wrapping u64 arithmetic where its true value lies in [−q, 2q).
 */
export function decodeRing(phase: usize, out: usize, n: i32, q: u64, ell: i32): u64 {
  const half = q >> 1;
  const scale = <f64>(<u64>1 << <u64>ell);
  const qf = <f64>q;
  const mask = (<u64>1 << <u64>ell) - 1;
  let worst: u64 = 0;
  for (let i = 0; i < n; i++) {
    const x = load<u64>(phase + (<usize>i << 3));
    let m = <u64>Math.floor((<f64>x * scale) / qf + 0.5);
    let e = <i64>((x << <u64>ell) + half - m * q);
    if (e < 0) {
      m--;
      e += <i64>q;
    } else if (e >= <i64>q) {
      m++;
      e -= <i64>q;
    }
    const error = e - <i64>half;
    const magnitude = <u64>(error < 0 ? -error : error);
    if (magnitude > worst) worst = magnitude;
    store<f64>(out + (<usize>i << 3), <f64>(m & mask));
  }
  return worst;
}
