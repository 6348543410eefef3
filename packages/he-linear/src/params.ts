/**
 * BFV parameters (CrypTFlow2's SCI_HE: SEAL BFV with N = 8192, coefficient modulus bit sizes
 * {60, 60, 60, 38} — three data primes and one special prime for key switching — and the
 * plaintext prime n of the field Z_n as SIMD batching modulus), their validation, and the
 * 28-byte-plus wire form both parties exchange to agree on them before any key is sent.
 */
import { FIELD_PRIME_32, FIELD_PRIME_37 } from '@secinfer/mpc-primitives';
import { HeParameterMismatchError, HeShapeError } from './errors.js';

/** The BFV parameters of one session. */
export interface HeParams {
  polyModulusDegree: 8192;
  /** The plaintext prime: FIELD_PRIME_32 (ℓ = 32) or FIELD_PRIME_37 (ℓ = 37). */
  plainModulus: number;
  /** Bit sizes of the coefficient-modulus primes; the last is the special (key-switching) prime. */
  coeffModulusBits: readonly number[];
}

/** Slots per ciphertext (= N): two rows of N/2 that `rotateRows` rotates cyclically. */
export const SLOTS = 8192;
/** Slots per row. */
export const ROW = SLOTS / 2;

/** The C++ reference's parameters for ℓ = 32 or ℓ = 37. */
export function heParamsFor(ell: 32 | 37): HeParams {
  if (ell !== 32 && ell !== 37) throw new HeShapeError(`ell must be 32 or 37, got ${ell}`);
  return {
    polyModulusDegree: 8192,
    plainModulus: ell === 32 ? FIELD_PRIME_32 : FIELD_PRIME_37,
    coeffModulusBits: [60, 60, 60, 38],
  };
}

/** Checks what SEAL would reject late (or accept insecurely), with a message saying what to change. */
export function checkParams(params: HeParams): void {
  if (params.polyModulusDegree !== SLOTS)
    throw new HeShapeError(`polyModulusDegree must be 8192, got ${params.polyModulusDegree}`);
  const t = params.plainModulus;
  if (!Number.isSafeInteger(t) || t < 2 || t >= 2 ** 38 || (t - 1) % (2 * SLOTS) !== 0)
    throw new HeShapeError(
      `plainModulus ${t} must be a prime < 2^38 with plainModulus ≡ 1 mod 16384 (batching); ` +
        'use FIELD_PRIME_32 or FIELD_PRIME_37',
    );
  const bits = params.coeffModulusBits;
  const total = bits.reduce((sum, b) => sum + b, 0);
  if (bits.length < 2 || bits.some((b) => !Number.isInteger(b) || b < 20 || b > 60) || total > 218)
    throw new HeShapeError(
      `coeffModulusBits [${bits.join(', ')}] must be ≥ 2 primes of 20..60 bits totalling ≤ 218 ` +
        '(128-bit security at N = 8192); use [60, 60, 60, 38]',
    );
}

const MAGIC = 0x48450001; // "HE", wire version 1

/** The parameters as bytes: magic, N, t (float64, exact below 2^53), prime count, bit sizes. */
export function encodeParams(params: HeParams): Uint8Array {
  const bits = params.coeffModulusBits;
  const view = new DataView(new ArrayBuffer(20 + 4 * bits.length));
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, params.polyModulusDegree, true);
  view.setFloat64(8, params.plainModulus, true);
  view.setUint32(16, bits.length, true);
  for (const [i, b] of bits.entries()) view.setUint32(20 + 4 * i, b, true);
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
  if (bytes.length !== 20 + 4 * count || theirBits.join() !== ours.coeffModulusBits.join())
    throw new HeParameterMismatchError(
      'coeffModulusBits',
      `[${ours.coeffModulusBits.join(', ')}]`,
      `[${theirBits.join(', ')}]`,
    );
}
