/**
 * The Walsh–Hadamard code used by KK13 1-out-of-N OT: message x ∈ [0, 256) maps to the
 * 256-bit codeword whose bit y is the parity of x ∧ y. Any two codewords differ in exactly
 * 128 positions, which is what lets one 256-bit row hide which of N ≤ 256 keys is chosen.
 */

/** The 256-bit (32-byte) codewords of x = 0..count-1, concatenated. */
export function walshHadamardCodewords(count: number): Uint8Array {
  const out = new Uint8Array(32 * count);
  for (let x = 0; x < count; x++) {
    for (let y = 0; y < 256; y++) {
      let v = x & y;
      v ^= v >>> 4;
      v ^= v >>> 2;
      v ^= v >>> 1;
      out[32 * x + (y >>> 3)]! |= (v & 1) << (y & 7);
    }
  }
  return out;
}
