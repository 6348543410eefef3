/**
 * BFV with plaintext modulus 2^ℓ on node-seal, which cannot make such a context: SEAL 4.1 as
 * node-seal 6.0.3 builds it rejects every plaintext modulus but a batching prime (t ≡ 1 mod
 * 2N) — `seal.Context` throws "invalid modulus" for 2^16..2^41, 2^32 + 1, 4294967311 (prime,
 * ≢ 1 mod 16384). The scheme needs t only where a message meets the scaling Δ = ⌊q/t⌋ —
 * encryption (c0 += Δ·m) and decryption (m = ⌊t·(c0 + c1·s)/q⌉ mod t) — so those two steps are
 * done here on the ciphertext's residues. SEAL makes the keys only; the encryptions (this
 * file's symmetric one, the server's public-key encryptions of zero: rlwe.ts) and the rest are
 * our residue kernels' (kernels/products.ts: NTT, products, sums, mod switching — SEAL's, bit
 * for bit), none of which depends on t. The SEAL context carries a batching
 * prime t' > 2^ℓ only so that kernel plaintexts, whose weights are signed ℓ-bit integers, lift
 * to the same integer polynomials (weights are encoded centred mod t').
 *
 * Layouts: SEAL's uncompressed serialization of an output ciphertext ends with its residues,
 * polynomial-major, then prime, then coefficient (u64); a seeded input is ours, its 16-byte
 * seed then c0's residues packed at 60 bits (rlwe.ts); SEAL's secret key is a plaintext in NTT form over every prime of the
 * key level, the data primes first, and its public key a size-2 ciphertext there in NTT form.
 *
 * Exactness: with q' the modulus of a ciphertext and z its (integer) message, the phase is
 * Δ·z + e with 2^ℓ·Δ = q − (q mod 2^ℓ), so 2^ℓ·phase/q' = z + (2^ℓ·e − (q' mod 2^ℓ)·z)/q': the
 * rounding returns z mod 2^ℓ while that term stays below 1/2 — the noise budget, reported
 * as SEAL does (−log2 of twice the invariant noise, the term's largest magnitude).
 */
import { randomSeed } from '@secinfer/ot';
import { shoupQuotient } from './kernels/ntt-tables.js';
import { ProductArena } from './kernels/products.js';
import { SLOTS } from './params.js';
import { expandSeed, packedResiduesBytes, SEED_BYTES, sampleCbd } from './rlwe.js';

const N = SLOTS;

/**
 * The bits of the stand-in prime t': the least above ℓ, and of at least 17 bits (the smallest
 * prime ≡ 1 mod 2N = 16384 is 65537), that no coefficient prime has (SEAL picks primes ≡ 1 mod
 * 2N of a size deterministically, so an equal size would give the same prime twice, which
 * SEAL rejects).
 */
export function standInPlainBits(ell: number, coeffModulusBits: readonly number[]): number {
  let bits = Math.max(ell + 1, 17);
  while (coeffModulusBits.includes(bits)) bits++;
  return bits;
}

/** x^−1 mod m (BigInt, m > 1, gcd 1). */
function inverse(x: bigint, m: bigint): bigint {
  let [a, b, u, v] = [((x % m) + m) % m, m, 1n, 0n];
  while (b !== 0n) {
    const q = a / b;
    [a, b, u, v] = [b, a - q * b, v, u - q * v];
  }
  return ((u % m) + m) % m;
}

/** Bytes of a seeded input ciphertext at k data primes: its seed, then c0's residues, packed. */
export const seededCiphertextBytes = (k: number): number => SEED_BYTES + packedResiduesBytes(k * N);

/** The messages' scaling, the client's encryption and its decryption, of BFV over Z_2^ℓ. */
export class RingCodec {
  private readonly t: bigint;
  /** Per data prime of the top level: q_j, Δ = ⌊q/2^ℓ⌋ mod q_j and its Shoup quotient. */
  private readonly deltas: BigUint64Array;
  /** CLIENT: the residue kernels' memory, with s in it (see `keyed`). */
  private residues:
    | {
        arena: ProductArena;
        ciphertextAt: number;
        errorAt: number;
        keyAt: number;
        negatedKeyAt: number;
      }
    | undefined;

  constructor(
    /** The top level's data primes. */
    private readonly primes: readonly bigint[],
    readonly ell: number,
  ) {
    this.t = 1n << BigInt(ell);
    const q = primes.reduce((p, x) => p * x, 1n);
    this.deltas = BigUint64Array.from(
      primes.flatMap((p) => {
        const delta = (q / this.t) % p;
        return [p, delta, shoupQuotient(delta, p)];
      }),
    );
  }

  /**
   * c0 += Δ·m (mod every prime), in place: `c0At` the address in `arena` of the k·N top-level
   * residues (prime-major), `m` N values in [0, 2^ℓ). Δ mod q_j is a constant, so each
   * product is one Shoup multiplication (asm/rows.ts's addScaled).
   */
  addMessage(arena: ProductArena, c0At: number, m: Float64Array): void {
    arena.addScaled(c0At, m, this.deltas);
  }

  /**
   * CLIENT: seed ‖ c0 of a symmetric encryption of m (N values in [0, 2^ℓ)) under s (its NTT
   * residues, data primes first) — SEAL's encrypt_zero_symmetric with Δ·m added to c0, on
   * our residues: â expanded from a fresh seed (rlwe.ts), c0 = INTT(â ⊙ (−ŝ)) + e + Δ·m; c1
   * = INTT(â) travels as its seed. Bytes: SEED_BYTES + 7.5·k·N (c0's residues at 60 bits each:
   * seededCiphertextBytes).
   */
  encrypt(m: Float64Array, secretKey: BigUint64Array): Uint8Array {
    const { arena, ciphertextAt: c0, negatedKeyAt, errorAt } = this.keyed(secretKey);
    const k = this.primes.length;
    const a = c0 + 8 * k * N;
    const seed = randomSeed();
    expandSeed(seed, arena, a);
    arena.multiply(c0, a, negatedKeyAt, k);
    arena.inverse(c0, k);
    arena.lift(errorAt, sampleCbd(N));
    arena.add(c0, errorAt, k);
    this.addMessage(arena, c0, m);
    const out = new Uint8Array(seededCiphertextBytes(k));
    out.set(seed);
    arena.pack(c0, out.subarray(SEED_BYTES));
    return out;
  }

  /**
   * CLIENT: m = ⌊2^ℓ·(c0 + c1·s)/q'⌉ mod 2^ℓ of a serialized ciphertext at `k` data primes
   * (its residues end the bytes), and its noise budget (bits). `secretKey` holds s's NTT
   * residues, data primes first (SEAL's NTT, which the residue kernels' is bit for bit): c1·s
   * is taken in the NTT domain there, the rounding there too at one prime, in BigInt (CRT)
   * above.
   */
  decrypt(
    bytes: Uint8Array,
    k: number,
    secretKey: BigUint64Array,
  ): { values: Float64Array; budget: number } {
    const { arena, keyAt, ciphertextAt } = this.keyed(secretKey);
    arena.write(ciphertextAt, bytes.subarray(bytes.length - 16 * k * N));
    const c1 = ciphertextAt + 8 * k * N;
    arena.forward(c1, k);
    arena.multiply(c1, c1, keyAt, k);
    arena.inverse(c1, k);
    arena.add(ciphertextAt, c1, k);
    if (k > 1) return this.round(arena.words(ciphertextAt, k * N).slice(), this.primes.slice(0, k));
    const { values, worst } = arena.decode(ciphertextAt, this.ell);
    return { values, budget: budgetOf(this.primes[0]!, worst) };
  }

  /**
   * The client's residue memory, made on first use: room for one ciphertext and one error
   * polynomial, and ŝ and −ŝ (its residues q_j − ŝ_j, so c0's product needs no negation).
   */
  private keyed(secretKey: BigUint64Array) {
    if (!this.residues) {
      const arena = new ProductArena(this.primes, N);
      const [ciphertextAt, errorAt] = [
        arena.alloc(arena.ciphertextBytes),
        arena.alloc(arena.plaintextBytes),
      ];
      const [keyAt, negatedKeyAt] = [
        arena.alloc(arena.plaintextBytes),
        arena.alloc(arena.plaintextBytes),
      ];
      arena.words(keyAt, this.primes.length * N).set(secretKey);
      const negated = arena.words(negatedKeyAt, this.primes.length * N);
      this.primes.forEach((q, j) => {
        for (let i = j * N; i < (j + 1) * N; i++)
          negated[i] = secretKey[i]! === 0n ? 0n : q - secretKey[i]!;
      });
      this.residues = { arena, ciphertextAt, errorAt, keyAt, negatedKeyAt };
    }
    return this.residues;
  }

  /** The messages of phases given by their residues (CRT over `primes`), and the budget. */
  private round(
    phase: BigUint64Array,
    primes: readonly bigint[],
  ): { values: Float64Array; budget: number } {
    const q = primes.reduce((p, x) => p * x, 1n);
    const lifts = primes.map((p) => (q / p) * inverse(q / p, p));
    const values = new Float64Array(N);
    let worst = 0n;
    for (let i = 0; i < N; i++) {
      let x = 0n;
      primes.forEach((_, j) => {
        x += phase[j * N + i]! * lifts[j]!;
      });
      const scaled = (x % q) * this.t;
      const m = (scaled + q / 2n) / q;
      const error = scaled - m * q;
      const magnitude = error < 0n ? -error : error;
      if (magnitude > worst) worst = magnitude;
      values[i] = Number(m % this.t);
    }
    return { values, budget: budgetOf(q, worst) };
  }
}

/** The noise budget of a ciphertext mod q whose largest |2^ℓ·phase − m·q| is `worst`. */
function budgetOf(q: bigint, worst: bigint): number {
  // Invariant noise v = error/q; SEAL's budget is −log2(2·|v|).
  const budget = worst === 0n ? Number.POSITIVE_INFINITY : log2(q) - log2(worst) - 1;
  return Math.max(0, Math.floor(budget));
}

/** log2 of a positive BigInt, to about 50 bits of precision. */
function log2(x: bigint): number {
  const bits = x.toString(2).length;
  const shift = Math.max(0, bits - 53);
  return Math.log2(Number(x >> BigInt(shift))) + shift;
}
