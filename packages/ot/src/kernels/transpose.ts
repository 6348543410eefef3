/**
 * Bit-matrix transpose, the plain TypeScript reference: obviously correct, one bit at a time.
 * The protocols use the WebAssembly SIMD twin (transpose-wasm.ts); tests check they agree.
 *
 * Layout: a `rows × cols` bit matrix is `rows` rows of `cols / 8` bytes each; bit c of a row
 * is bit (c mod 8) of byte ⌊c / 8⌋ (least significant first). Both dimensions are multiples
 * of 8.
 */
import { OtError } from '../errors.js';

export function checkTransposeShape(src: Uint8Array, rows: number, cols: number): void {
  if (rows % 8 !== 0 || cols % 8 !== 0 || src.byteLength < (rows * cols) / 8) {
    throw new OtError('BAD_LENGTH', `transpose: ${rows}×${cols} bits do not fit the buffer`);
  }
}

/** The `cols × rows` transpose of the `rows × cols` bit matrix `src`. */
export function transposeReference(src: Uint8Array, rows: number, cols: number): Uint8Array {
  checkTransposeShape(src, rows, cols);
  const out = new Uint8Array((rows * cols) / 8);
  const rowBytes = cols >>> 3;
  const outRowBytes = rows >>> 3;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const bit = (src[r * rowBytes + (c >>> 3)]! >>> (c & 7)) & 1;
      out[c * outRowBytes + (r >>> 3)]! |= bit << (r & 7);
    }
  }
  return out;
}
