/**
 * The ring pipeline's own RLWE randomness on the residue kernels: the small polynomials of an
 * encryption (SEAL's distributions) and the uniform polynomial a seed stands for. With them
 * the client's seeded encryptions and the server's public-key encryptions of zero are made on
 * our residues (ring-bfv.ts, protocols/ring-output.ts), with no SEAL object and no
 * serialization round trip on the hot path.
 *
 * Distributions, as SEAL 4.1 samples them (util/rlwe.cpp): u ternary, each of −1, 0, 1 with
 * probability 1/3; the errors centred binomial, the difference of the Hamming weights of two
 * 21-bit strings (variance 21/2, σ ≈ 3.24 — the HE standard's 3.2 — and |e| ≤ 21).
 *
 * Seeds: a seeded ciphertext carries 16 bytes in place of c1. Both parties expand them by
 * AES-CTR (@secinfer/ot's AesPrg) into N residues uniform mod each prime, by rejection of
 * 64-bit draws masked to the prime's bit length (in the residue kernels' memory: asm/
 * residue-format.ts) — and read them as c1's NTT residues: the NTT is a bijection, so a
 * uniform NTT vector is a uniform polynomial, and the server, which multiplies in the NTT
 * domain, skips c1's transform. c0 travels packed at 60 bits per residue (the same file).
 */

import { randomWords } from '@secinfer/mpc-primitives';
import { AesPrg } from '@secinfer/ot';
import type { ProductArena } from './kernels/products.js';

/** Bits of each of the two strings whose Hamming weights differ in a centred binomial error. */
export const CBD_BITS = 21;

/** The largest |e| of a centred binomial error. */
export const CBD_MAX = CBD_BITS;

/** Bytes of a ciphertext's seed. */
export const SEED_BYTES = 16;

/** n values of u, each −1, 0 or 1 with probability 1/3. */
export function sampleTernary(n: number): Float64Array {
  const out = new Float64Array(n);
  let filled = 0;
  while (filled < n) {
    // 255 = 3·85 values are kept, so value mod 3 is uniform; each byte survives w.p. 255/256.
    const bytes = new Uint8Array(randomWords(Math.ceil((n - filled + 64) / 4)).buffer);
    for (let i = 0; i < bytes.length && filled < n; i++)
      if (bytes[i]! < 255) out[filled++] = (bytes[i]! % 3) - 1;
  }
  return out;
}

/** n centred binomial errors: popcount(x) − popcount(y) for two fresh 21-bit x, y. */
export function sampleCbd(n: number): Float64Array {
  const words = randomWords(2 * n);
  const out = new Float64Array(n);
  const mask = (1 << CBD_BITS) - 1;
  for (let i = 0; i < n; i++)
    out[i] = popcount(words[2 * i]! & mask) - popcount(words[2 * i + 1]! & mask);
  return out;
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * k rows at `at` in `arena` (its k primes, prime-major) ← the polynomial `seed` stands for: per
 * prime q_j in order, n residues uniform in [0, q_j), each the first 64-bit little-endian draw
 * of the AES-CTR stream that, masked to q_j's bit length, falls below q_j (the arena's primes
 * lie between 2^40 and 2^60, so at least half the draws are kept).
 */
export function expandSeed(seed: Uint8Array, arena: ProductArena, at: number): void {
  if (seed.length !== SEED_BYTES) throw new RangeError(`a seed has ${SEED_BYTES} bytes`);
  arena.uniform(at, (draws) => new AesPrg(seed).fill(draws));
}

/** Bytes of k·n residues below 2^60 packed at 60 bits each (n even): 15 bytes per pair. */
export const packedResiduesBytes = (count: number): number => (15 * count) / 2;
