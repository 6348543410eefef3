/**
 * The NTT kernel's tables (asm/ntt.ts) for a prime q ≡ 1 mod 2n: ψ, SEAL's choice of the
 * primitive 2n-th root of unity (the least one), its powers and its inverse's in bit-reversed
 * order, n^−1, and Shoup's quotient ⌊w·2^64/q⌋ beside every constant w. Computed once per
 * (q, n) in BigInt — setup, not a hot loop — and kept.
 */

/** x^e mod m. */
export function powMod(x: bigint, e: bigint, m: bigint): bigint {
  let [result, base, rest] = [1n, x % m, e];
  while (rest > 0n) {
    if (rest & 1n) result = (result * base) % m;
    base = (base * base) % m;
    rest >>= 1n;
  }
  return result;
}

/** x^−1 mod a prime q. */
export const inverseMod = (x: bigint, q: bigint): bigint => powMod(x, q - 2n, q);

/** ⌊w·2^64/q⌋ for w < q. */
export const shoupQuotient = (w: bigint, q: bigint): bigint => (w << 64n) / q;

/** The least primitive 2n-th root of unity mod q (q prime, q ≡ 1 mod 2n, n a power of two). */
export function minimalPrimitiveRoot(q: bigint, n: number): bigint {
  const order = 2n * BigInt(n);
  if ((q - 1n) % order !== 0n) throw new RangeError(`${q} is not 1 mod ${order}`);
  // g^((q−1)/2n) has order dividing 2n; it is primitive iff its n-th power is −1.
  let root = 0n;
  for (let g = 2n; root === 0n; g++) {
    const candidate = powMod(g, (q - 1n) / order, q);
    if (powMod(candidate, BigInt(n), q) === q - 1n) root = candidate;
  }
  // The primitive roots are root's odd powers.
  const square = (root * root) % q;
  let least = root;
  for (let i = 1, power = root; i < n; i++) {
    power = (power * square) % q;
    if (power < least) least = power;
  }
  return least;
}

const bitReverse = (x: number, bits: number): number => {
  let r = 0;
  for (let b = 0; b < bits; b++) r |= ((x >> b) & 1) << (bits - 1 - b);
  return r;
};

/** Words of one prime's table (asm/ntt.ts's tableWords). */
export const tableWords = (n: number): number => 4 * n + 8;

const cache = new Map<string, BigUint64Array>();

/**
 * The table of prime q for degree n: q, n^−1, (n^−1)', w·n^−1 and its quotient for the inverse
 * root w = ψ^−bitrev(1) of the inverse's last level, three zeros, then ψ^bitrev(i), their
 * quotients, ψ^−bitrev(i), their quotients (i < n).
 */
export function nttTable(q: bigint, n: number): BigUint64Array {
  const key = `${q}:${n}`;
  const cached = cache.get(key);
  if (cached) return cached;
  if (q >= 1n << 62n) throw new RangeError('the NTT kernel needs primes below 2^62');
  const bits = Math.log2(n);
  const psi = minimalPrimitiveRoot(q, n);
  const psiInverse = inverseMod(psi, q);
  const table = new BigUint64Array(tableWords(n));
  const nInverse = inverseMod(BigInt(n), q);
  const HEADER = 8;
  let [power, inversePower] = [1n, 1n];
  for (let e = 0; e < n; e++) {
    const i = bitReverse(e, bits);
    table[HEADER + i] = power;
    table[HEADER + n + i] = shoupQuotient(power, q);
    table[HEADER + 2 * n + i] = inversePower;
    table[HEADER + 3 * n + i] = shoupQuotient(inversePower, q);
    power = (power * psi) % q;
    inversePower = (inversePower * psiInverse) % q;
  }
  const rootScale = (table[HEADER + 2 * n + 1]! * nInverse) % q;
  table.set([q, nInverse, shoupQuotient(nInverse, q), rootScale, shoupQuotient(rootScale, q)]);
  cache.set(key, table);
  return table;
}
