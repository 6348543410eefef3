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
// The outermost levels are their own loops: the forward transform's last level (t = 1) also
// makes the final reduction to [0, q), and the inverse's last one (t = n/2) also multiplies
// by n^−1 — its root's constant is w·n^−1, kept in the table — so neither makes a pass of its
// own over the n values (as SEAL's transforms do); the inverse's first level (t = 1) runs
// without an inner loop of one. Inner loops take four butterflies per step (two at t = 2):
// V8 does not unroll them, and the one-butterfly loop spent a quarter of its time in loop
// overhead (bench/ntt.micro.ts: 305 → 231 µs per forward + inverse at n = 8192, SEAL 235).
//
// Table layout per prime (u64 words): q, n^−1, (n^−1)', w·n^−1, (w·n^−1)', 0, 0, 0 (w the
// inverse root of the last level), then n roots, n roots', n inverse roots, n inverse roots' —
// 4n + 8 words.

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
  return 4 * n + 8;
}

/** One lazy forward butterfly: x, y in [0, 4q) → x + w·y, x − w·y in [0, 4q). */
// @ts-ignore: decorator
@inline
function forwardButterfly(px: usize, py: usize, w: u64, ws: u64, q: u64, twoQ: u64): void {
  const x = reduceOnce(load<u64>(px), twoQ);
  const y = mulShoup(load<u64>(py), w, ws, q);
  store<u64>(px, x + y);
  store<u64>(py, x - y + twoQ);
}

/** One lazy inverse butterfly: x, y in [0, 2q) → x + y, w·(x − y) in [0, 2q). */
// @ts-ignore: decorator
@inline
function inverseButterfly(px: usize, py: usize, w: u64, ws: u64, q: u64, twoQ: u64): void {
  const x = load<u64>(px);
  const y = load<u64>(py);
  store<u64>(px, reduceOnce(x + y, twoQ));
  store<u64>(py, mulShoup(x - y + twoQ, w, ws, q));
}

/** Bytes of a table's header. */
const HEADER: usize = 64;

/** In place: the n coefficients at `a` (each < q) → their NTT (each < q). */
export function forwardNtt(a: usize, n: i32, table: usize): void {
  forwardFrom(a, n, table, 1);
}

/**
 * The forward transform from its level m = `from` (a power of two below n; 1 is the whole
 * transform) on, in place: the values at `a` in [0, 4q), as the levels before m leave them,
 * → the NTT (each < q). The sparse kernel transform (sparse-ntt.ts) starts at a later level.
 */
export function forwardFrom(a: usize, n: i32, table: usize, from: i32): void {
  forwardLevels(a, n, table, from, n >> 1);
  const q = load<u64>(table);
  const twoQ = q << 1;
  const roots = table + HEADER;
  const shoups = roots + (<usize>n << 3);
  // t = 1, and each output reduced from [0, 4q) to [0, q).
  const m = n >> 1;
  for (let i = 0; i < m; i++) {
    const w = load<u64>(roots + (<usize>(m + i) << 3));
    const ws = load<u64>(shoups + (<usize>(m + i) << 3));
    const px = a + (<usize>i << 4);
    const x = reduceOnce(load<u64>(px), twoQ);
    const y = mulShoup(load<u64>(px, 8), w, ws, q);
    store<u64>(px, reduceOnce(reduceOnce(x + y, twoQ), q));
    store<u64>(px, reduceOnce(reduceOnce(x - y + twoQ, twoQ), q), 8);
  }
}

/**
 * The forward transform's levels m = `from`, 2·from, … below `until` (≤ n/2, so t ≥ 2), in
 * place and lazily: values in [0, 4q) stay in [0, 4q).
 */
export function forwardLevels(a: usize, n: i32, table: usize, from: i32, until: i32): void {
  const q = load<u64>(table);
  const twoQ = q << 1;
  const roots = table + HEADER;
  const shoups = roots + (<usize>n << 3);
  let t = n / (2 * from);
  for (let m = from; m < until; m <<= 1) {
    for (let i = 0; i < m; i++) {
      const w = load<u64>(roots + (<usize>(m + i) << 3));
      const ws = load<u64>(shoups + (<usize>(m + i) << 3));
      const x0 = a + (<usize>(2 * i * t) << 3);
      const y0 = x0 + (<usize>t << 3);
      // t ≥ 2 here: four butterflies per step, or the two of t = 2.
      if (t >= 4)
        for (let j = 0; j < t; j += 4) {
          const px = x0 + (<usize>j << 3);
          const py = y0 + (<usize>j << 3);
          forwardButterfly(px, py, w, ws, q, twoQ);
          forwardButterfly(px + 8, py + 8, w, ws, q, twoQ);
          forwardButterfly(px + 16, py + 16, w, ws, q, twoQ);
          forwardButterfly(px + 24, py + 24, w, ws, q, twoQ);
        }
      else {
        forwardButterfly(x0, y0, w, ws, q, twoQ);
        forwardButterfly(x0 + 8, y0 + 8, w, ws, q, twoQ);
      }
    }
    t >>= 1;
  }
}

/** In place: the n NTT values at `a` (each < q) → the coefficients (each < q). */
export function inverseNtt(a: usize, n: i32, table: usize): void {
  const q = load<u64>(table);
  const twoQ = q << 1;
  const inverses = table + HEADER + (<usize>(2 * n) << 3);
  const shoups = inverses + (<usize>n << 3);
  let t = 1;
  for (let m = n >> 1; m > 1; m >>= 1) {
    if (t === 1) {
      for (let i = 0; i < m; i++) {
        const w = load<u64>(inverses + (<usize>(m + i) << 3));
        const ws = load<u64>(shoups + (<usize>(m + i) << 3));
        const px = a + (<usize>i << 4);
        const x = load<u64>(px);
        const y = load<u64>(px, 8);
        store<u64>(px, reduceOnce(x + y, twoQ));
        store<u64>(px, mulShoup(x - y + twoQ, w, ws, q), 8);
      }
    } else {
      for (let i = 0; i < m; i++) {
        const w = load<u64>(inverses + (<usize>(m + i) << 3));
        const ws = load<u64>(shoups + (<usize>(m + i) << 3));
        const x0 = a + (<usize>(2 * i * t) << 3);
        const y0 = x0 + (<usize>t << 3);
        // t ≥ 2 here: four butterflies per step, or the two of t = 2.
        if (t >= 4)
          for (let j = 0; j < t; j += 4) {
            const px = x0 + (<usize>j << 3);
            const py = y0 + (<usize>j << 3);
            inverseButterfly(px, py, w, ws, q, twoQ);
            inverseButterfly(px + 8, py + 8, w, ws, q, twoQ);
            inverseButterfly(px + 16, py + 16, w, ws, q, twoQ);
            inverseButterfly(px + 24, py + 24, w, ws, q, twoQ);
          }
        else {
          inverseButterfly(x0, y0, w, ws, q, twoQ);
          inverseButterfly(x0 + 8, y0 + 8, w, ws, q, twoQ);
        }
      }
    }
    t <<= 1;
  }
  // t = n/2: the butterfly's two products by n^−1 and w·n^−1, each reduced to [0, q).
  const scale = load<u64>(table, 8);
  const scaleShoup = load<u64>(table, 16);
  const rootScale = load<u64>(table, 24);
  const rootScaleShoup = load<u64>(table, 32);
  const half = <usize>t << 3;
  for (let j = 0; j < t; j++) {
    const px = a + (<usize>j << 3);
    const x = load<u64>(px);
    const y = load<u64>(px + half);
    store<u64>(px, reduceOnce(mulShoup(x + y, scale, scaleShoup, q), q));
    store<u64>(px + half, reduceOnce(mulShoup(x - y + twoQ, rootScale, rootScaleShoup, q), q));
  }
}
