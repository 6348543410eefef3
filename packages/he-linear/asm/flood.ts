// Noise flooding's hot loop in WebAssembly (native i64): for every coefficient, a uniform
// b-bit integer U (b ≤ 160, from caller-supplied random words) reduced modulo each RNS prime
// and added, minus 2^(b−1), to c0's residue. src/noise.ts documents why; this replaces one
// BigInt residue per coefficient and prime (~7 ms per ciphertext) with u64 arithmetic.
//
// Reduction: Horner over 32-bit words, r ← (r·2^32 + w) mod q, the quotient estimated in
// float64 (relative error < 2^−50 of a quotient < 2^32: off by at most one) and the remainder
// taken in wrapping u64 arithmetic, where the true value is small: one correction step.

/** (r·2^32 + w) mod q for r < q < 2^62 and w < 2^32. */
function step(r: u64, w: u64, q: u64, qf: f64): u64 {
  const estimate = <u64>Math.floor((<f64>r * 4294967296.0 + <f64>w) / qf);
  let t = <i64>((r << 32) + w - estimate * q);
  if (t < 0) t += <i64>q;
  else if (t >= <i64>q) t -= <i64>q;
  return <u64>t;
}

/**
 * c0[j·n + i] += (U_i − 2^(b−1)) mod q_j for i < n, j < k. `random` holds n·words u32, most
 * significant first per coefficient, the first already masked to the top word's bits;
 * `primes` and `halves` (2^(b−1) mod q_j) are k u64 each.
 */
export function flood(
  c0: usize,
  random: usize,
  n: i32,
  words: i32,
  k: i32,
  primes: usize,
  halves: usize,
): void {
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const qf = <f64>q;
    const half = load<u64>(halves + (<usize>j << 3));
    const row = c0 + ((<usize>j * <usize>n) << 3);
    for (let i = 0; i < n; i++) {
      const from = random + ((<usize>i * <usize>words) << 2);
      let r: u64 = <u64>load<u32>(from);
      for (let w = 1; w < words; w++) r = step(r, <u64>load<u32>(from + (<usize>w << 2)), q, qf);
      // e = r − 2^(b−1) mod q, then c0 + e mod q (all operands < q < 2^62: no overflow).
      const e = r >= half ? r - half : r + q - half;
      const at = row + (<usize>i << 3);
      const sum = load<u64>(at) + e;
      store<u64>(at, sum >= q ? sum - q : sum);
    }
  }
}
