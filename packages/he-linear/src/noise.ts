/**
 * Noise accounting and circuit privacy: the server must return ciphertexts that reveal
 * nothing about its weights beyond the (masked) result.
 *
 * Method: re-randomisation plus noise flooding, as in SCI (utils-HE.cpp `flood_ciphertext`):
 * 1. the server adds a fresh public-key encryption of its uniform mask r (the field's SEAL's,
 *    the ring's its own: rlwe.ts). Its (c0, c1) part (p0·u + e1, p1·u + e2) is an RLWE sample,
 *    so c1 of the sum is pseudorandom, independent of the weights (semantic security of BFV);
 * 2. what is left that depends on the weights is the decryption noise e of c0 + c1·s. The
 *    server adds to c0 a polynomial E with coefficients uniform in (−2^(b−1), 2^(b−1)). By
 *    the smudging lemma, SD(e + E, E) ≤ m·|e|∞ / 2^(b−1) for m coefficients; we choose
 *    b so this is ≤ 2^−(σ + ⌈log2 L⌉) with σ = 40 over every coefficient of every ciphertext
 *    of the layer, L the inference's HE layers (params.layers), so all L together are ≤ 2^−σ;
 * 3. it then mod-switches to the lowest level whose budget stays ≥ MIN_BUDGET — a public
 *    function of an already flooded ciphertext, so it leaks nothing, and it cuts the bytes.
 * SCI floods 100 − ℓ bits at the second level regardless of the layer; we size b from the
 * layer instead (below), so the σ = 40 claim holds for the bound we state.
 *
 * The noise bound (invariant noise ν = log2 |v|, budget = −ν − 1, as SEAL reports it; Q =
 * log2 q, T = log2 t): a fresh ciphertext has budget ≥ Q − T − 1 − FRESH_LOSS (measured:
 * 4 bits lost at both primes, we allow 8); multiplying by a plaintext p grows |v| by at most
 * ‖p‖₁ (SEAL lifts p's coefficients centred): N·t for a batched plaintext, far less for a
 * sparse coefficient-encoded kernel; summing K products adds log2 K; rotations are applied after the
 * products, so their key-switching noise (measured ≈ 2^29 × a fresh noise) and the mask's
 * encryption noise are additive and far smaller — we add 2 bits for them.
 *
 * Cost: the field floods the serialized ciphertext (node-seal exposes no coefficient
 * access), the ring its own residues (protocols/ring-output.ts); the N·k residues are reduced
 * in WebAssembly u64 arithmetic (kernels/flood.ts).
 */
import { NoiseBudgetError } from './errors.js';
import { floodResidues as addReduced } from './kernels/flood.js';
import { osRandomWords } from './os-random.js';
import { SIGMA, SLOTS } from './params.js';
import { CBD_MAX } from './rlwe.js';
import type { CipherText } from './seal.js';
import type { HeSession } from './session.js';

/** Statistical security parameter of the flooding, per inference. */
export { SIGMA };

/** Bits of fresh noise budget below Q − T − 1 we allow for (measured 4). */
const FRESH_LOSS = 8;
/** The least noise budget (bits) a returned ciphertext must keep by our bound. */
export const MIN_BUDGET = 6;

/** The flooding width and output level of a layer. */
export interface NoisePlan {
  /** Flood each c0 coefficient with a uniform signed value of this many bits. */
  floodBits: number;
  /** Data primes left after the final mod switch (1 = the last level). */
  outputPrimes: number;
  /**
   * Low bits dropped from c0's and c1's coefficients of the returned ciphertexts (trim.ts);
   * [0, 0]: not trimmed (the field, or an output above one prime).
   */
  trimBits: readonly [number, number];
}

/**
 * The trimming of an output at one prime of Q' bits whose planned budget is `budget` bits:
 * each dropped half adds ≤ 2^−(MIN_BUDGET+3) invariant noise (trim.ts), so only a budget of at
 * least MIN_BUDGET + 1 is trimmed.
 */
function trimBits(ring: boolean, primes: number, Qp: number, T: number, budget: number) {
  if (!ring || primes !== 1 || budget < MIN_BUDGET + 1) return [0, 0] as const;
  const c0 = Math.max(0, Math.floor(Qp - T - MIN_BUDGET - 2));
  const c1 = Math.max(0, Math.floor(Qp - T - Math.log2(SLOTS) - MIN_BUDGET - 2));
  return [c0, c1] as const;
}

/**
 * Plans flooding for a layer whose output ciphertexts each sum at most `products`
 * ciphertext × plaintext products, with `outputs` ciphertexts returned, each plaintext of
 * centred ℓ1 norm at most 2^plaintextNormBits (default: a batched plaintext, N·t). Throws
 * NoiseBudgetError, saying what to change, when no level keeps MIN_BUDGET bits.
 */
export function planNoise(
  session: HeSession,
  products: number,
  outputs: number,
  plaintextNormBits = Math.log2(SLOTS) + Math.log2(session.params.plainModulus),
): NoisePlan {
  const Q = session.primeBits.reduce((sum, b) => sum + b, 0);
  const T = Math.log2(session.params.plainModulus);
  const logN = Math.log2(SLOTS);
  const freshNu = -(Q - T - 1 - FRESH_LOSS) - 1;
  const computedNu = freshNu + plaintextNormBits + Math.log2(Math.max(1, products)) + 2;
  // σ per inference: each of L layers gets 2^−(σ + log2 L), and their union is 2^−σ.
  const sigma = SIGMA + Math.ceil(Math.log2(session.params.layers ?? 1));
  const floodNu = computedNu + sigma + Math.log2(SLOTS * Math.max(1, outputs));
  const floodBits = Math.ceil(floodNu + 1 - T + Q);
  // The ring's encryption of zero is made at the data level (rlwe.ts), not one level up as
  // SEAL's: its noise e·u + e0 + e1·s (ternary u, s; |e| ≤ CBD_MAX) is at most
  // (2N + 1)·CBD_MAX, so its invariant noise is ≤ 2^zeroNu, added to the flooded one.
  const zeroNu = session.ring ? T + Math.log2((2 * SLOTS + 1) * CBD_MAX) - Q : -Infinity;
  const floodedNu = Math.log2(2 ** (floodNu + 1) + 2 ** zeroNu);
  // After flooding: ν ≤ floodedNu. Switching to a level of Q' bits adds the rounding term
  // t·(1 + ‖s‖₁)/(2q') ≤ t·N/q' (ternary s); the result keeps the larger of the two, +1.
  let budget = 0;
  for (let primes = 1; primes <= session.primeBits.length; primes++) {
    const Qp = session.primeBits.slice(0, primes).reduce((sum, b) => sum + b, 0);
    const roundNu = T + logN - Qp;
    budget = -(Math.max(floodedNu, roundNu) + 1) - 1;
    if (budget >= MIN_BUDGET)
      return {
        floodBits,
        outputPrimes: primes,
        trimBits: trimBits(session.ring !== undefined, primes, Qp, T, budget),
      };
  }
  throw new NoiseBudgetError(
    `a layer summing ${products} plaintext products per output ciphertext leaves ` +
      `${Math.floor(budget)} bits of noise budget after σ = ${sigma} flooding (need ${MIN_BUDGET}); ` +
      'split the layer (fewer input channels or features per call) and add the partial outputs',
  );
}

/**
 * Adds E (coefficients uniform in [−2^(b−1), 2^(b−1))) to c0 of a size-2 ciphertext at the top
 * level, through its uncompressed serialization (node-seal exposes no coefficient access):
 * the last 2·k·N u64 words are the RNS coefficients, polynomial-major, then prime, then
 * coefficient. Returns a new ciphertext; the caller deletes both.
 */
export function flood(session: HeSession, ct: CipherText, bits: number): CipherText {
  const { seal, primes } = session;
  const bytes = ct.saveArray(seal.ComprModeType.none);
  const k = primes.length;
  const offset = bytes.length - 8 * 2 * k * SLOTS;
  if (ct.size !== 2 || ct.coeffModulusSize !== k || ct.isNttForm || offset < 0)
    throw new RangeError('flooding expects a size-2 top-level ciphertext in coefficient form');
  // c0's residues, copied out (the serialization puts them at an unaligned offset).
  const c0Bytes = bytes.subarray(offset, offset + 8 * k * SLOTS);
  const c0 = new BigUint64Array(c0Bytes.slice().buffer);
  floodResidues(session, c0, bits);
  c0Bytes.set(new Uint8Array(c0.buffer));
  const flooded = seal.CipherText();
  flooded.loadArray(session.context, bytes);
  return flooded;
}

/** c0 += E in place: `c0` the k·N top-level residues of c0 (prime-major), E as in `flood`. */
export function floodResidues(session: HeSession, c0: BigUint64Array, bits: number): void {
  const { primes } = session;
  if (bits < 33 || bits > 160 || primes.some((q) => q >= 1n << 62n))
    throw new RangeError(`flooding supports 33..160 bits and primes below 2^62, got ${bits}`);
  // U uniform in [0, 2^b) from b random bits (the top word masked); E = U − 2^(b−1).
  const words = Math.ceil(bits / 32);
  const random = osRandomWords(new Uint32Array(SLOTS * words));
  const topBits = bits - 32 * (words - 1);
  if (topBits < 32) for (let i = 0; i < SLOTS; i++) random[i * words]! &= 2 ** topBits - 1;
  const half = 1n << BigInt(bits - 1);
  addReduced(
    c0,
    random,
    SLOTS,
    words,
    primes,
    primes.map((q) => half % q),
  );
}
