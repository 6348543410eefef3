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
 * 64-bit draws masked to the prime's bit length — and read them as c1's NTT residues: the NTT
 * is a bijection, so a uniform NTT vector is a uniform polynomial, and the server, which
 * multiplies in the NTT domain, skips c1's transform.
 */

import { randomWords } from '@secinfer/mpc-primitives';
import { AesPrg } from '@secinfer/ot';

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
 * out (k·n u64, prime-major) ← the polynomial `seed` stands for: per prime q_j in order, n
 * residues uniform in [0, q_j), each the first 64-bit little-endian draw of the AES-CTR stream
 * that, masked to q_j's bit length, falls below q_j (primes below 2^62, so at least half
 * the draws are kept).
 */
export function expandSeed(
  seed: Uint8Array,
  primes: readonly bigint[],
  n: number,
  out: BigUint64Array,
): void {
  if (seed.length !== SEED_BYTES) throw new RangeError(`a seed has ${SEED_BYTES} bytes`);
  const prg = new AesPrg(seed);
  // The residues as u32 pairs (low word first: the u64s are little-endian, as on every host).
  const halves = new Uint32Array(out.buffer, out.byteOffset, 2 * out.length);
  let draws: Uint32Array = new Uint32Array(0);
  let next = 0;
  primes.forEach((q, j) => {
    if (q >= 1n << 62n) throw new RangeError('seed expansion takes primes below 2^62');
    const [qLow, qHigh] = [Number(q & 0xffffffffn), Number(q >> 32n)];
    const highMask = 2 ** (q.toString(2).length - 32) - 1;
    for (let i = 0; i < n; ) {
      if (next === draws.length) {
        const bytes = prg.next(8 * (n - i + 64));
        draws = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
        next = 0;
      }
      const low = draws[next]!;
      const high = draws[next + 1]! & highMask;
      next += 2;
      if (high < qHigh || (high === qHigh && low < qLow)) {
        halves[2 * (j * n + i)] = low;
        halves[2 * (j * n + i) + 1] = high;
        i++;
      }
    }
  });
}

/**
 * Whether every one of the k·n residues in `words` (prime-major) is below its prime: a
 * received ciphertext must be canonical before the kernels, which assume it, read it.
 */
export function canonicalResidues(words: BigUint64Array, primes: readonly bigint[], n: number) {
  const halves = new Uint32Array(words.buffer, words.byteOffset, 2 * words.length);
  return primes.every((q, j) => {
    const [qLow, qHigh] = [Number(q & 0xffffffffn), Number(q >> 32n)];
    for (let i = j * n; i < (j + 1) * n; i++) {
      const high = halves[2 * i + 1]!;
      if (high > qHigh || (high === qHigh && halves[2 * i]! >= qLow)) return false;
    }
    return true;
  });
}

/** Bytes of k·n residues below 2^60 packed at 60 bits each (n even): 15 bytes per pair. */
export const packedResiduesBytes = (count: number): number => (15 * count) / 2;

/**
 * `words` (an even count, each below 2^60) into `out` at 60 bits each, pair by pair: the two
 * low 32-bit halves, then the two 28-bit high parts in 7 bytes. A residue below a 60-bit prime
 * wastes 4 of its 64 bits; packed, an input ciphertext is 1/16 smaller.
 */
export function packResidues(words: BigUint64Array, out: Uint8Array): void {
  const halves = new Uint32Array(words.buffer, words.byteOffset, 2 * words.length);
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  for (let i = 0, at = 0; i < words.length; i += 2, at += 15) {
    const [high0, high1] = [halves[2 * i + 1]!, halves[2 * i + 3]!];
    if (high0 >= 1 << 28 || high1 >= 1 << 28) throw new RangeError('a residue is not below 2^60');
    view.setUint32(at, halves[2 * i]!, true);
    view.setUint32(at + 4, halves[2 * i + 2]!, true);
    // high0's 28 bits, then high1's, little-endian across bytes 8..14.
    view.setUint16(at + 8, high0 & 0xffff, true);
    view.setUint8(at + 10, (high0 >>> 16) & 0xff);
    view.setUint8(at + 11, (high0 >>> 24) | ((high1 & 0xf) << 4));
    view.setUint8(at + 12, (high1 >>> 4) & 0xff);
    view.setUint16(at + 13, high1 >>> 12, true);
  }
}

/** The inverse of `packResidues`: `bytes` (15 per pair) into `out`'s words. */
export function unpackResidues(bytes: Uint8Array, out: BigUint64Array): void {
  const halves = new Uint32Array(out.buffer, out.byteOffset, 2 * out.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0, at = 0; i < out.length; i += 2, at += 15) {
    halves[2 * i] = view.getUint32(at, true);
    halves[2 * i + 2] = view.getUint32(at + 4, true);
    const middle = view.getUint8(at + 11);
    halves[2 * i + 1] =
      view.getUint16(at + 8, true) | (view.getUint8(at + 10) << 16) | ((middle & 0xf) << 24);
    halves[2 * i + 3] =
      (middle >>> 4) | (view.getUint8(at + 12) << 4) | (view.getUint16(at + 13, true) << 12);
  }
}
