/**
 * The wire format, checked: ℓ bits per element, the contiguous little-endian bit stream of
 * @secinfer/ot's packValues (element i at bits [iℓ, (i+1)ℓ)) in ⌈n·ℓ/8⌉ bytes; boolean
 * vectors (one 0/1 per byte in memory) at one bit each; Z_n elements at bits(n) bits each (32
 * for 4293918721, 37 for 137352314881), as ring elements. The kernels and the byte counts are
 * ot's (re-exported here); this module adds the Ring-typed forms that validate their input
 * and reject a malformed message with a ParameterError.
 */
import { packedBytes, packValues, unpackValues } from '@secinfer/ot';
import { ParameterError } from './errors.js';
import type { Field } from './field.js';
import { checkRingVector, type Ring, ring } from './ring.js';

export { packBits, packedBytes, topWordMask, wordsPerValue } from '@secinfer/ot';

/** Packs a Z_2^ℓ vector at ℓ bits per element. */
export function ringPack(r: Ring, x: Uint32Array): Uint8Array {
  checkRingVector(r, x);
  return packValues(x, x.length / r.words, r.ell);
}

/**
 * Checks that `bytes` is exactly the ⌈count·width/8⌉ bytes of `count` packed elements of
 * `width` bits with zero padding bits (all in the last byte).
 */
function checkPacked(bytes: Uint8Array, count: number, width: number, what: string): void {
  if (!Number.isInteger(count) || count < 0)
    throw new ParameterError(`${what}: count must be a non-negative integer, got ${count}`);
  const expected = packedBytes(count, width);
  if (!(bytes instanceof Uint8Array) || bytes.length !== expected)
    throw new ParameterError(
      `${what} of ${count} elements must be ${expected} bytes, got ${bytes?.length}`,
    );
  const tailBits = (count * width) % 8;
  if (tailBits !== 0 && bytes[expected - 1]! >>> tailBits !== 0)
    throw new ParameterError(`${what} has non-zero padding bits`);
}

/** Unpacks n elements of Z_2^ℓ from exactly ceil(n·ℓ/8) bytes (the padding bits must be 0). */
export function ringUnpack(r: Ring, bytes: Uint8Array, n: number): Uint32Array {
  checkPacked(bytes, n, r.ell, `packed Z_2^${r.ell} vector`);
  return unpackValues(bytes, n, r.ell);
}

/** Unpacks n bits from exactly ceil(n/8) bytes into one 0/1 per byte (padding bits must be 0). */
export function unpackBits(bytes: Uint8Array, n: number): Uint8Array {
  checkPacked(bytes, n, 1, 'packed bit vector');
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (bytes[i >>> 3]! >>> (i & 7)) & 1;
  return out;
}

/** Bytes that n elements of Z_n occupy on the wire: ⌈n·bits(n)/8⌉. */
export function fieldPackedBytes(f: Field, n: number): number {
  return packedBytes(n, f.bits);
}

/** Packs a Z_n vector at bits(n) bits per element (the ring wire format at ℓ = bits(n)). */
export function fieldPack(f: Field, x: Float64Array): Uint8Array {
  if (!(x instanceof Float64Array)) throw new ParameterError('operand must be a Float64Array');
  const r = ring(f.bits);
  const limbs = new Uint32Array(x.length * r.words);
  if (r.words === 1) limbs.set(x);
  else
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      limbs[2 * i] = v >>> 0; // ToUint32 is exact mod 2^32 for any integer below 2^53
      limbs[2 * i + 1] = Math.floor(v / 4294967296);
    }
  return ringPack(r, limbs);
}

/** Unpacks n elements of Z_n; throws ParameterError if any is ≥ n (a corrupt or foreign message). */
export function fieldUnpack(f: Field, bytes: Uint8Array, n: number): Float64Array {
  const r = ring(f.bits);
  const limbs = ringUnpack(r, bytes, n);
  const out = new Float64Array(n);
  if (r.words === 1) out.set(limbs);
  else for (let i = 0; i < n; i++) out[i] = limbs[2 * i + 1]! * 4294967296 + limbs[2 * i]!;
  for (let i = 0; i < n; i++)
    if (out[i]! >= f.n) throw new ParameterError(`element ${i} is ${out[i]}, not below ${f.n}`);
  return out;
}
