/**
 * Packing for the wire: an ℓ-bit value costs ℓ bits. Values use the project's Z_2^ℓ layout
 * (one Uint32 word per value for ℓ ≤ 32, interleaved (lo, hi) words for 32 < ℓ ≤ 64);
 * choice bits travel as bitsets (bit i of byte ⌊i/8⌋, least significant first).
 */

/** Words per value in the Z_2^ℓ layout. */
export function wordsPerValue(ell: number): number {
  return ell > 32 ? 2 : 1;
}

/** Bytes of `n` values packed at ℓ bits. */
export function packedBytes(n: number, ell: number): number {
  return Math.ceil((n * ell) / 8);
}

/** Packs `n` reduced ℓ-bit values into ⌈nℓ/8⌉ bytes. */
export function packValues(values: Uint32Array, n: number, ell: number): Uint8Array {
  if (ell === 32 || ell === 64) {
    return new Uint8Array(values.buffer, values.byteOffset, (n * ell) / 8).slice();
  }
  const out = new Uint8Array(packedBytes(n, ell) + 8);
  const wpv = wordsPerValue(ell);
  let bit = 0;
  for (let i = 0; i < n; i++) {
    for (let w = 0; w < wpv; w++) {
      const width = w === 0 ? Math.min(ell, 32) : ell - 32;
      writeBits(out, bit, values[i * wpv + w]!, width);
      bit += width;
    }
  }
  return out.subarray(0, packedBytes(n, ell));
}

/** Inverse of packValues. */
export function unpackValues(bytes: Uint8Array, n: number, ell: number): Uint32Array {
  if (ell === 32 || ell === 64) {
    return new Uint32Array(bytes.slice(0, (n * ell) / 8).buffer);
  }
  const wpv = wordsPerValue(ell);
  const out = new Uint32Array(n * wpv);
  let bit = 0;
  for (let i = 0; i < n; i++) {
    for (let w = 0; w < wpv; w++) {
      const width = w === 0 ? Math.min(ell, 32) : ell - 32;
      out[i * wpv + w] = readBits(bytes, bit, width);
      bit += width;
    }
  }
  return out;
}

function writeBits(out: Uint8Array, bit: number, value: number, width: number): void {
  let byte = bit >>> 3;
  let shift = bit & 7;
  let left = width;
  let v = value >>> 0;
  while (left > 0) {
    out[byte]! |= (v << shift) & 0xff;
    const took = 8 - shift;
    v = took >= 32 ? 0 : v >>> took;
    left -= took;
    shift = 0;
    byte++;
  }
}

function readBits(bytes: Uint8Array, bit: number, width: number): number {
  let byte = bit >>> 3;
  const shift = bit & 7;
  let v = 0;
  let got = -shift;
  while (got < width) {
    const b = bytes[byte++] ?? 0;
    v = got < 0 ? b >>> -got : (v | (b << got)) >>> 0;
    got += 8;
  }
  return width === 32 ? v >>> 0 : (v & ((1 << width) - 1)) >>> 0;
}

/** Packs one 0/1 byte per entry into a bitset of ⌈n/8⌉ bytes (zero-padded to `bytes`). */
export function packBits(bits: Uint8Array, bytes = Math.ceil(bits.length / 8)): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bits.length; i++) out[i >>> 3]! |= (bits[i]! & 1) << (i & 7);
  return out;
}

/** Reduces values to ℓ bits in place (mask the top word). */
export function maskValues(values: Uint32Array, ell: number): Uint32Array {
  if (ell === 32 || ell === 64) return values;
  const wpv = wordsPerValue(ell);
  const mask = (2 ** (ell > 32 ? ell - 32 : ell) - 1) >>> 0;
  for (let i = wpv - 1; i < values.length; i += wpv) values[i] = values[i]! & mask;
  return values;
}
