/**
 * Ciphertext trimming of the returned ciphertexts (Cheetah, §"Reducing the communication"):
 * the server drops the d0 low bits of every c0 coefficient and the d1 low bits of every c1
 * coefficient of an output at one prime q' and sends the rest bit-packed; the client puts the
 * midpoint 2^(d−1) in place of what was dropped.
 *
 * Security: trimming is a public function of a ciphertext that is already re-randomised and
 * flooded (noise.ts), so it reveals nothing that ciphertext does not.
 * Correctness: the phase c0 + c1·s moves by e0 + e1·s with |e0| ≤ 2^(d0−1) and
 * |e1·s|∞ ≤ ‖s‖₁·2^(d1−1) ≤ N·2^(d1−1) (ternary s), i.e. the invariant noise by at most
 * t·2^(d0−1)/q' + t·N·2^(d1−1)/q'. noise.ts chooses d0, d1 so each term is ≤ 2^−(MIN_BUDGET+3),
 * and trims only where the planned budget is ≥ MIN_BUDGET + 1: the noise stays below
 * 2^−(MIN_BUDGET+1), a budget of MIN_BUDGET bits, and decryption exact.
 */
import { ring, ringPack, ringUnpack } from '@secinfer/mpc-primitives';
import { SLOTS } from './params.js';

const N = SLOTS;

/** Bytes of a trimmed ciphertext: N values of (bits − d0) bits, then N of (bits − d1) bits. */
export function trimmedBytes(primeBits: number, d0: number, d1: number): number {
  return Math.ceil((N * (primeBits - d0)) / 8) + Math.ceil((N * (primeBits - d1)) / 8);
}

/** The bit width of the residues of prime q (q < 2^64). */
export const residueBits = (q: bigint): number => q.toString(2).length;

/** `words` (N u64 as (lo, hi) u32 pairs) shifted right by d, in the ring layout of width w. */
function shiftDown(words: Uint32Array, d: number, w: number): Uint32Array {
  const out = new Uint32Array(w > 32 ? 2 * N : N);
  for (let i = 0; i < N; i++) {
    const [lo, hi] = [words[2 * i]!, words[2 * i + 1]!];
    const low = d === 0 ? lo : d < 32 ? ((lo >>> d) | (hi << (32 - d))) >>> 0 : hi >>> (d - 32);
    const high = d === 0 ? hi : d < 32 ? hi >>> d : 0;
    if (w > 32) {
      out[2 * i] = low;
      out[2 * i + 1] = high;
    } else out[i] = low;
  }
  return out;
}

/** The inverse of shiftDown with the midpoint 2^(d−1) of the dropped bits, reduced mod q. */
function shiftUp(values: Uint32Array, d: number, w: number, q: bigint, into: Uint32Array): void {
  const [qLo, qHi] = [Number(q & 0xffffffffn), Number(q >> 32n)];
  for (let i = 0; i < N; i++) {
    const [low, high] = w > 32 ? [values[2 * i]!, values[2 * i + 1]!] : [values[i]!, 0];
    let lo = low;
    let hi = high;
    if (d > 0 && d < 32) {
      lo = ((low << d) | (1 << (d - 1))) >>> 0;
      hi = ((high << d) | (low >>> (32 - d))) >>> 0;
    } else if (d >= 32) {
      hi = ((low << (d - 32)) | (d > 32 ? 1 << (d - 33) : 0)) >>> 0;
      lo = d === 32 ? 0x80000000 : 0;
    }
    if (hi > qHi || (hi === qHi && lo >= qLo)) {
      const borrow = lo < qLo ? 1 : 0;
      lo = (lo - qLo + 4294967296 * borrow) >>> 0;
      hi = hi - qHi - borrow;
    }
    into[2 * i] = lo;
    into[2 * i + 1] = hi;
  }
}

/**
 * SERVER: the trimmed form of `serialized`, an uncompressed size-2 ciphertext at one prime
 * (its residues end the bytes: c0's N u64, then c1's).
 */
export function trimCiphertext(
  serialized: Uint8Array,
  q: bigint,
  d0: number,
  d1: number,
): Uint8Array {
  const bits = residueBits(q);
  const at = serialized.length - 16 * N;
  const words = new Uint32Array(serialized.slice(at).buffer);
  const parts = [
    [words.subarray(0, 2 * N), d0],
    [words.subarray(2 * N), d1],
  ] as const;
  const packed = parts.map(([part, d]) => ringPack(ring(bits - d), shiftDown(part, d, bits - d)));
  const out = new Uint8Array(packed[0]!.length + packed[1]!.length);
  out.set(packed[0]!);
  out.set(packed[1]!, packed[0]!.length);
  return out;
}

/**
 * CLIENT: the uncompressed serialization of a trimmed ciphertext, behind `header` (the bytes
 * before the residues of any ciphertext SEAL saved at the same level). Throws on a wrong size.
 */
export function untrimCiphertext(
  trimmed: Uint8Array,
  header: Uint8Array,
  q: bigint,
  d0: number,
  d1: number,
): Uint8Array {
  const bits = residueBits(q);
  if (trimmed.length !== trimmedBytes(bits, d0, d1))
    throw new RangeError(
      `a trimmed ciphertext has ${trimmedBytes(bits, d0, d1)} bytes, got ${trimmed.length}`,
    );
  const out = new Uint8Array(header.length + 16 * N);
  out.set(header);
  const words = new Uint32Array(4 * N); // the header's length need not be a multiple of 4
  const first = Math.ceil((N * (bits - d0)) / 8);
  shiftUp(
    ringUnpack(ring(bits - d0), trimmed.subarray(0, first), N),
    d0,
    bits - d0,
    q,
    words.subarray(0, 2 * N),
  );
  shiftUp(
    ringUnpack(ring(bits - d1), trimmed.subarray(first), N),
    d1,
    bits - d1,
    q,
    words.subarray(2 * N),
  );
  out.set(new Uint8Array(words.buffer), header.length);
  return out;
}
