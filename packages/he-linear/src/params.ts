/**
 * BFV parameters, their validation, and the 44-byte-plus wire form both parties exchange to
 * agree on them before any key is sent. Two plaintext spaces:
 * - the field (CrypTFlow2's SCI_HE): N = 8192, coefficient modulus bit sizes {60, 60, 60, 38}
 *   — three data primes and one special prime for key switching — and the plaintext prime n
 *   of Z_n as SIMD batching modulus;
 * - the ring (Cheetah): t = 2^ℓ with coefficient encoding (no batching, no rotations, so no
 *   Galois keys), N and q chosen by `ringCoefficientModulus`'s cost model below.
 */
import { FIELD_PRIME_32, FIELD_PRIME_37 } from '@secinfer/mpc-primitives';
import { HeParameterMismatchError, HeShapeError } from './errors.js';

/** The BFV parameters of one session. */
export interface HeParams {
  polyModulusDegree: 8192;
  /** The plaintext modulus: FIELD_PRIME_32 or FIELD_PRIME_37 (the field), or 2^ℓ (the ring). */
  plainModulus: number;
  /** Bit sizes of the coefficient-modulus primes; the last is the special (key-switching) prime. */
  coeffModulusBits: readonly number[];
  /**
   * Ring only, public (the model's; both parties check they agree): every weight is a signed integer of this
   * many bits, |w| ≤ 2^(weightBits − 1) centred mod 2^ℓ; the noise bound multiplies by it.
   * Default ℓ (any ring element).
   */
  weightBits?: number;
  /**
   * Public: the HE layers of the whole inference. Flooding is sized for σ + ⌈log2 layers⌉ per
   * layer, so the inference as a whole is within 2^−σ statistical distance (a union bound).
   */
  layers?: number;
  /**
   * Public: the link's bandwidth (bytes per second each way) the layers' block geometries plan
   * for — on a slow link a geometry that sends fewer ciphertexts for more products wins
   * (plans/conv-coefficients.ts). Unset: compute only (loopback). Both parties must agree.
   */
  linkBytesPerSecond?: number;
}

/** Statistical security parameter of the flooding, per inference. */
export const SIGMA = 40;

/** Slots per ciphertext (= N): two rows of N/2 that `rotateRows` rotates cyclically. */
export const SLOTS = 8192;
/** Slots per row. */
export const ROW = SLOTS / 2;

/** The C++ reference's field parameters for ℓ = 32 or ℓ = 37. */
export function heParamsFor(ell: 32 | 37): HeParams {
  if (ell !== 32 && ell !== 37) throw new HeShapeError(`ell must be 32 or 37, got ${ell}`);
  return {
    polyModulusDegree: 8192,
    plainModulus: ell === 32 ? FIELD_PRIME_32 : FIELD_PRIME_37,
    coeffModulusBits: [60, 60, 60, 38],
  };
}

/** Whether `params` are the ring's: the plaintext modulus a power of two. */
export const isRingParams = (params: HeParams): boolean =>
  Number.isSafeInteger(params.plainModulus) && Number.isInteger(Math.log2(params.plainModulus));

/**
 * The HE security standard's largest log2 q for 128-bit classical security with a ternary
 * secret (HomomorphicEncryption.org, 2018, Table 1), per N.
 */
const MAX_MODULUS_BITS = { 4096: 109, 8192: 218 } as const;

/**
 * Data bits a ring layer needs (noise.ts's bound solved for Q): t (ℓ) + fresh noise and the
 * returned budget (19) + the kernel's ℓ1 norm (weightBits − 1 + log2 N, a kernel plaintext of N
 * taps at most) + 16 summed products + flooding (σ + ⌈log2 layers⌉ + log2 N + 1024 outputs).
 */
export function ringDataBits(ell: number, weightBits: number, layers: number): number {
  return ell + 19 + weightBits - 1 + 13 + 4 + SIGMA + Math.ceil(Math.log2(layers)) + 13 + 10;
}

/**
 * The ring's N and coefficient modulus by a cost model: a product, an NTT and a ciphertext's
 * bytes all cost ∝ N·k for k data primes (≤ 60 bits each: SEAL's limit; ≥ 40: the product
 * kernel's), so the cheapest (N, k) whose data bits cover `ringDataBits` within the standard's
 * bound wins. N = 4096 (Cheetah's, q ≈ 2^109) cannot: node-seal always keeps the last prime of
 * the chain as a special prime outside the data level (Cheetah patches SEAL to use the whole
 * modulus), which leaves one data prime of ≤ 60 bits — below the ≥ 150 bits σ = 40 flooding at
 * ℓ ≥ 32 needs. So N = 8192 with three 60-bit data primes and a special prime of 38 bits
 * (218 in all); two data primes (120 bits) never suffice. The ring uses no key switching, so
 * the special prime's size only enters the public-key encryption's noise.
 */
export function ringCoefficientModulus(ell: number, weightBits: number, layers = 1): number[] {
  const need = ringDataBits(ell, weightBits, layers);
  const max = MAX_MODULUS_BITS[SLOTS];
  for (let k = 1; k <= 3; k++) {
    const special = Math.min(60, max - 60 * k);
    if (60 * k >= need && special >= 20) return [...Array<number>(k).fill(60), special];
  }
  throw new HeShapeError(
    `ℓ = ${ell} with ${weightBits}-bit weights over ${layers} layers needs ${need} data bits, ` +
      `more than N = ${SLOTS} allows at 128-bit security: declare smaller weightBits`,
  );
}

/** The ring's bit widths: 2 ≤ ℓ ≤ 41 (the cleartext layers stay exact in doubles up to 41). */
export const RING_ELL_MAX = 41;

/**
 * The ring's parameters for Z_2^ℓ (2 ≤ ℓ ≤ 41): t = 2^ℓ, N = 8192, the modulus of the cost model.
 * `weightBits` (default ℓ) and `layers` (default 1) are the public bounds of HeParams.
 */
export function ringHeParamsFor(
  ell: number,
  options: { weightBits?: number; layers?: number; linkBytesPerSecond?: number } = {},
): HeParams {
  if (!Number.isInteger(ell) || ell < 2 || ell > RING_ELL_MAX)
    throw new HeShapeError(`ring ℓ must be an integer in 2..${RING_ELL_MAX}, got ${ell}`);
  const weightBits = options.weightBits ?? ell;
  const layers = options.layers ?? 1;
  if (!Number.isInteger(weightBits) || weightBits < 1 || weightBits > ell)
    throw new HeShapeError(`weightBits must be an integer in 1..${ell}, got ${weightBits}`);
  if (!Number.isSafeInteger(layers) || layers < 1)
    throw new HeShapeError(`layers must be a positive integer, got ${layers}`);
  return {
    polyModulusDegree: SLOTS,
    plainModulus: 2 ** ell,
    coeffModulusBits: ringCoefficientModulus(ell, weightBits, layers),
    weightBits,
    layers,
    ...(options.linkBytesPerSecond === undefined
      ? {}
      : { linkBytesPerSecond: options.linkBytesPerSecond }),
  };
}

/** Checks what SEAL would reject late (or accept insecurely), with a message saying what to change. */
export function checkParams(params: HeParams): void {
  if (params.polyModulusDegree !== SLOTS)
    throw new HeShapeError(`polyModulusDegree must be 8192, got ${params.polyModulusDegree}`);
  const t = params.plainModulus;
  const ring = isRingParams(params);
  if (ring && (t < 4 || t > 2 ** RING_ELL_MAX))
    throw new HeShapeError(
      `a ring plainModulus must be 2^ℓ with 2 ≤ ℓ ≤ ${RING_ELL_MAX}, got ${t}`,
    );
  if (!ring && (!Number.isSafeInteger(t) || t < 2 || t >= 2 ** 38 || (t - 1) % (2 * SLOTS) !== 0))
    throw new HeShapeError(
      `plainModulus ${t} must be a prime < 2^38 with plainModulus ≡ 1 mod 16384 (batching); ` +
        'use FIELD_PRIME_32 or FIELD_PRIME_37, or 2^ℓ (ringHeParamsFor)',
    );
  const link = params.linkBytesPerSecond;
  if (link !== undefined && !(link > 0 && link < Number.POSITIVE_INFINITY))
    throw new HeShapeError(`linkBytesPerSecond must be a positive finite number, got ${link}`);
  const bits = params.coeffModulusBits;
  const total = bits.reduce((sum, b) => sum + b, 0);
  if (bits.length < 2 || bits.some((b) => !Number.isInteger(b) || b < 20 || b > 60) || total > 218)
    throw new HeShapeError(
      `coeffModulusBits [${bits.join(', ')}] must be ≥ 2 primes of 20..60 bits totalling ≤ 218 ` +
        '(128-bit security at N = 8192); use [60, 60, 60, 38]',
    );
}

const MAGIC = 0x48450003; // "HE", wire version 3

/**
 * The parameters as bytes: magic, N, t (float64, exact below 2^53), prime count, bit sizes,
 * then the public bounds the noise plan depends on: weightBits (0 when unset) and layers;
 * then the link the geometries plan for (float64, 0 when unset).
 */
export function encodeParams(params: HeParams): Uint8Array {
  const bits = params.coeffModulusBits;
  const view = new DataView(new ArrayBuffer(36 + 4 * bits.length));
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, params.polyModulusDegree, true);
  view.setFloat64(8, params.plainModulus, true);
  view.setUint32(16, bits.length, true);
  for (const [i, b] of bits.entries()) view.setUint32(20 + 4 * i, b, true);
  view.setUint32(20 + 4 * bits.length, params.weightBits ?? 0, true);
  view.setUint32(24 + 4 * bits.length, params.layers ?? 1, true);
  view.setFloat64(28 + 4 * bits.length, params.linkBytesPerSecond ?? 0, true);
  return new Uint8Array(view.buffer);
}

/** Compares our parameters with the peer's bytes; throws HeParameterMismatchError naming the field. */
export function checkPeerParams(ours: HeParams, bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = (offset: number) => (offset + 4 <= bytes.length ? view.getUint32(offset, true) : -1);
  if (bytes.length < 20 || read(0) !== MAGIC)
    throw new HeParameterMismatchError('wire version', MAGIC.toString(16), String(read(0)));
  const theirN = read(4);
  if (theirN !== ours.polyModulusDegree)
    throw new HeParameterMismatchError(
      'polyModulusDegree',
      String(ours.polyModulusDegree),
      String(theirN),
    );
  const theirT = view.getFloat64(8, true);
  if (theirT !== ours.plainModulus)
    throw new HeParameterMismatchError('plainModulus', String(ours.plainModulus), String(theirT));
  const count = read(16);
  const theirBits = Array.from({ length: Math.max(0, count) }, (_, i) => read(20 + 4 * i));
  if (bytes.length !== 36 + 4 * count || theirBits.join() !== ours.coeffModulusBits.join())
    throw new HeParameterMismatchError(
      'coeffModulusBits',
      `[${ours.coeffModulusBits.join(', ')}]`,
      `[${theirBits.join(', ')}]`,
    );
  const bounds = [
    ['weightBits', ours.weightBits ?? 0, read(20 + 4 * count)],
    ['layers', ours.layers ?? 1, read(24 + 4 * count)],
  ] as const;
  for (const [name, mine, theirs] of bounds)
    if (mine !== theirs) throw new HeParameterMismatchError(name, String(mine), String(theirs));
  const theirLink = view.getFloat64(28 + 4 * count, true);
  if (theirLink !== (ours.linkBytesPerSecond ?? 0))
    throw new HeParameterMismatchError(
      'linkBytesPerSecond',
      String(ours.linkBytesPerSecond ?? 'unset'),
      theirLink === 0 ? 'unset' : String(theirLink),
    );
}
