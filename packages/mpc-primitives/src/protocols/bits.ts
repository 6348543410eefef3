/**
 * Boolean vectors as protocols hold them (one 0/1 per byte, so per-element logic stays
 * simple) and as the wire carries them (8 per byte): a bit costs a bit.
 */

/** Packs 0/1 bytes into bits, least significant bit first. */
export function packBits(bits: Uint8Array): Uint8Array {
  const packed = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) packed[i >>> 3]! |= bits[i]! << (i & 7);
  return packed;
}

/** Unpacks `count` bits into 0/1 bytes. */
export function unpackBits(packed: Uint8Array, count: number): Uint8Array {
  const bits = new Uint8Array(count);
  for (let i = 0; i < count; i++) bits[i] = (packed[i >>> 3]! >>> (i & 7)) & 1;
  return bits;
}

/** Bytes that `count` packed bits occupy on the wire. */
export function packedBitBytes(count: number): number {
  return Math.ceil(count / 8);
}
