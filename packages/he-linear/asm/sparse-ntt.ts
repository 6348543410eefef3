// The forward NTT of a polynomial that is zero outside a few public positions: the coefficient
// conv's kernel plaintexts, whose taps fill ~2 % of N (conv-56x56x64-3x3-s2: 144 of 8192), and
// whose positions follow from the layer's shape alone — so skipping the others reveals nothing.
//
// The first SPREAD_LEVELS = 6 levels of the Cooley–Tukey transform never mix coefficients of
// different residues r mod B = n/64: after them, coefficient r + B·h of the input has become
// F[h][k]·x at each position r + B·k (k < 64), with factors F that depend on h and k only (the
// levels' roots are chosen by a butterfly's block, i.e. by the high bits). So the transform
// of a polynomial with s nonzero coefficients starts from Σ F[h][k]·x_(r+B·h) — s·64 products
// — in place of 6·n/2 butterflies, then runs the remaining levels as the dense transform does
// (ntt.ts's forwardFrom). The result is the same NTT, canonical, bit for bit; it pays while
// s·64 < 3n. F is computed here from the dense levels on X^(B·h), and its Shoup quotients in
// TypeScript (src/kernels/ntt-tables.ts), once per prime.

import { forwardFrom, forwardLevels, mulShoup, reduceOnce } from './ntt';

const SPREAD_LEVELS = 6;
const SPREAD = 1 << SPREAD_LEVELS;

/** Words of one prime's spread factors: F[h][k] and its Shoup quotient, 64 × 64 pairs. */
export function spreadWords(): i32 {
  return 2 * SPREAD * SPREAD;
}

/**
 * out ← F[h][k] (below q) at word 2·(64·h + k), the quotients' words left 0 for TypeScript:
 * the first 6 levels of prime `table`'s transform of X^(B·h), read at B·k. `scratch` holds n
 * words (n ≥ 128).
 */
export function spreadFactors(out: usize, scratch: usize, n: i32, table: usize): void {
  const q = load<u64>(table);
  const block = n >> SPREAD_LEVELS;
  for (let h = 0; h < SPREAD; h++) {
    memory.fill(scratch, 0, <usize>n << 3);
    store<u64>(scratch + (<usize>(h * block) << 3), 1);
    forwardLevels(scratch, n, table, 1, SPREAD);
    for (let k = 0; k < SPREAD; k++) {
      const v = load<u64>(scratch + (<usize>(k * block) << 3));
      store<u64>(out + (<usize>(SPREAD * h + k) << 4), reduceOnce(reduceOnce(v, q << 1), q));
      store<u64>(out + (<usize>(SPREAD * h + k) << 4), 0, 8);
    }
  }
}

/**
 * k rows of n at `a` ← the NTT (row j mod prime j, canonical) of the polynomial that is 0
 * except at the `count` distinct positions `positions` (i32, < n), with the signed values
 * `values` (f64, |v| < every prime). `tables` and `spreads` are the primes' NTT tables
 * (`tableWords` apart) and spread factors (`spreadWords` apart); n ≥ 128.
 */
export function sparseForwardNtt(
  a: usize,
  n: i32,
  k: i32,
  tables: usize,
  tableBytes: i32,
  spreads: usize,
  positions: usize,
  values: usize,
  count: i32,
): void {
  const block = n >> SPREAD_LEVELS;
  const shift = ctz(block);
  for (let j = 0; j < k; j++) {
    const table = tables + <usize>(j * tableBytes);
    const spread = spreads + (<usize>(j * spreadWords()) << 3);
    const q = load<u64>(table);
    const twoQ = q << 1;
    const row = a + (<usize>(j * n) << 3);
    memory.fill(row, 0, <usize>n << 3);
    for (let c = 0; c < count; c++) {
      const p = load<i32>(positions + (<usize>c << 2));
      const v = load<f64>(values + (<usize>c << 3));
      const x = v < 0 ? q - <u64>-v : <u64>v;
      const r = row + (<usize>(p & (block - 1)) << 3);
      const factors = spread + (<usize>(SPREAD * (p >> shift)) << 4);
      for (let to = 0; to < SPREAD; to++) {
        const at = r + (<usize>(to * block) << 3);
        const f = load<u64>(factors + (<usize>to << 4));
        const fs = load<u64>(factors + (<usize>to << 4), 8);
        store<u64>(at, reduceOnce(load<u64>(at) + mulShoup(x, f, fs, q), twoQ));
      }
    }
    forwardFrom(row, n, table, SPREAD);
  }
}
