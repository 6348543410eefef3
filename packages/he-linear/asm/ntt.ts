// The negacyclic number-theoretic transform over one RNS prime q < 2^62 (Z_q[X]/(X^n + 1)),
// forward and inverse, in SEAL's order, so residues move between this kernel and SEAL's
// NTT-form objects unchanged: forward is Cooley–Tukey on ψ's powers in bit-reversed order,
// output bit-reversed (Longa–Naehrig 2016, Algorithm 1); inverse Gentleman–Sande on ψ^−1's
// (Algorithm 2), then × n^−1. ψ is the least primitive 2n-th root of unity mod q (SEAL's
// choice); the tables are computed in TypeScript (src/kernels/ntt-tables.ts).
//
// Butterflies are Harvey's lazy ones (Harvey 2014): values stay in [0, 4q) (forward) or
// [0, 2q) (inverse) and are reduced once at the end, so 4q must fit in 64 bits. The
// multiplications by a table constant w use Shoup's precomputed quotient w' = ⌊w·2^64/q⌋:
// a·w mod q is a·w − ⌊a·w'/2^64⌋·q ∈ [0, 2q) in wrapping u64 arithmetic, for any a < 2^64.
// WebAssembly has no 64×64 → 128 multiply, so the high half ⌊a·w'/2^64⌋ is taken exactly
// from four 32×32 → 64 products. Shoup rather than Montgomery: every multiplier here is a
// table constant, so its quotient is free, and the values need no Montgomery form.
//
// Table layout per prime (u64 words): q, n^−1, (n^−1)', 0, then n roots, n roots', n inverse
// roots, n inverse roots' — 4n + 4 words.

const LOW: u64 = 0xffffffff;

/** ⌊a·b/2^64⌋, exactly. */
// @ts-ignore: decorator
@inline
export function mulHigh(a: u64, b: u64): u64 {
  const a0 = a & LOW;
  const a1 = a >> 32;
  const b0 = b & LOW;
  const b1 = b >> 32;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const middle = ((a0 * b0) >> 32) + (p01 & LOW) + (p10 & LOW);
  return a1 * b1 + (p01 >> 32) + (p10 >> 32) + (middle >> 32);
}

/** a·w mod q, in [0, 2q), for w < q with Shoup quotient `shoup`, any a < 2^64. */
// @ts-ignore: decorator
@inline
export function mulShoup(a: u64, w: u64, shoup: u64, q: u64): u64 {
  return a * w - mulHigh(a, shoup) * q;
}

/** x mod m for x < 2m, without a branch (the data are random: a branch would mispredict). */
// @ts-ignore: decorator
@inline
export function reduceOnce(x: u64, m: u64): u64 {
  return select<u64>(x - m, x, x >= m);
}

/** The words of one prime's table: the header and the four arrays of n. */
export function tableWords(n: i32): i32 {
  return 4 * n + 4;
}

/** In place: the n coefficients at `a` (each < q) → their NTT (each < q). */
export function forwardNtt(a: usize, n: i32, table: usize): void {
  const q = load<u64>(table);
  const twoQ = q << 1;
  const roots = table + 32;
  const shoups = roots + (<usize>n << 3);
  let t = n >> 1;
  for (let m = 1; m < n; m <<= 1) {
    for (let i = 0; i < m; i++) {
      const w = load<u64>(roots + (<usize>(m + i) << 3));
      const ws = load<u64>(shoups + (<usize>(m + i) << 3));
      const x0 = a + (<usize>(2 * i * t) << 3);
      const y0 = x0 + (<usize>t << 3);
      for (let j = 0; j < t; j++) {
        const px = x0 + (<usize>j << 3);
        const py = y0 + (<usize>j << 3);
        const x = reduceOnce(load<u64>(px), twoQ);
        const y = mulShoup(load<u64>(py), w, ws, q);
        store<u64>(px, x + y);
        store<u64>(py, x - y + twoQ);
      }
    }
    t >>= 1;
  }
  for (let j = 0; j < n; j++) {
    const p = a + (<usize>j << 3);
    store<u64>(p, reduceOnce(reduceOnce(load<u64>(p), twoQ), q));
  }
}

/** In place: the n NTT values at `a` (each < q) → the coefficients (each < q). */
export function inverseNtt(a: usize, n: i32, table: usize): void {
  const q = load<u64>(table);
  const twoQ = q << 1;
  const inverses = table + 32 + (<usize>(2 * n) << 3);
  const shoups = inverses + (<usize>n << 3);
  let t = 1;
  for (let m = n >> 1; m >= 1; m >>= 1) {
    for (let i = 0; i < m; i++) {
      const w = load<u64>(inverses + (<usize>(m + i) << 3));
      const ws = load<u64>(shoups + (<usize>(m + i) << 3));
      const x0 = a + (<usize>(2 * i * t) << 3);
      const y0 = x0 + (<usize>t << 3);
      for (let j = 0; j < t; j++) {
        const px = x0 + (<usize>j << 3);
        const py = y0 + (<usize>j << 3);
        const x = load<u64>(px);
        const y = load<u64>(py);
        store<u64>(px, reduceOnce(x + y, twoQ));
        store<u64>(py, mulShoup(x - y + twoQ, w, ws, q));
      }
    }
    t <<= 1;
  }
  const scale = load<u64>(table, 8);
  const scaleShoup = load<u64>(table, 16);
  for (let j = 0; j < n; j++) {
    const p = a + (<usize>j << 3);
    store<u64>(p, reduceOnce(mulShoup(load<u64>(p), scale, scaleShoup, q), q));
  }
}
