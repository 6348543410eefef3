/**
 * Ferret's LPN step: y = A·x ⊕ e over GF(2) on 128-bit blocks, where x are the k reserved
 * COTs and A is a local linear code with d non-zeros per row. Row i's columns are d words of
 * an AES-CTR stream from a public seed (the same code every round), each mapped into [0, k)
 * as ⌊w·k / 2^32⌋ (exact in doubles: w·k < 2^53). The sender encodes its K's, the receiver its M's and its bits.
 * Random access into k·16 bytes (9.4 MB for ferret-b13) bounds the speed: `lpnEncode` runs
 * the rows in a WebAssembly SIMD kernel, `lpnEncodeReference` in plain TS (the test oracle).
 */
import { AesPrg } from '../aes.js';
import { LpnKernel } from '../kernels/lpn-wasm.js';

/** The public code: dimension k, d columns per row, from a 16-byte seed. */
export interface LpnCode {
  readonly k: number;
  readonly d: number;
  readonly seed: Uint8Array;
}

/** Rows per call to the PRG: 40 KiB of column words at d = 10. */
const ROWS_PER_CHUNK = 1024;

/**
 * y_i ⊕= ⊕_{c ∈ row i} x_c for the n = y.length/16 rows, and the same on bits when `xBits`
 * and `yBits` (one 0/1 byte each) are given.
 */
export function lpnEncode(
  code: LpnCode,
  x: Uint8Array,
  y: Uint8Array,
  xBits?: Uint8Array,
  yBits?: Uint8Array,
): void {
  const bits = xBits && yBits ? yBits : undefined;
  const kernel = new LpnKernel(code.k, code.d, ROWS_PER_CHUNK, x, bits && xBits);
  forEachChunk(code, y.byteLength >>> 4, (words, first, rows) =>
    kernel.encode(words, y, first, rows, bits),
  );
}

/** `lpnEncode` in plain TS, row by row: the test reference of the kernel. */
export function lpnEncodeReference(
  code: LpnCode,
  x: Uint8Array,
  y: Uint8Array,
  xBits?: Uint8Array,
  yBits?: Uint8Array,
): void {
  const { k, d } = code;
  const xs = new Int32Array(x.buffer, x.byteOffset, 4 * k);
  const ys = new Int32Array(y.buffer, y.byteOffset, y.byteLength >>> 2);
  const scale = k / 4294967296;
  forEachChunk(code, y.byteLength >>> 4, (words, first, rows) => {
    const cols = new Uint32Array(words.buffer, words.byteOffset, d * rows);
    encodeRows(xs, ys, cols, first, rows, d, scale);
    if (xBits && yBits) encodeBits(xBits, yBits, cols, first, rows, d, scale);
  });
}

/** `step` on each chunk of the n rows with the chunk's column words (d per row). */
function forEachChunk(
  code: LpnCode,
  n: number,
  step: (words: Uint8Array, first: number, rows: number) => void,
): void {
  const prg = new AesPrg(code.seed);
  for (let first = 0; first < n; first += ROWS_PER_CHUNK)
    step(prg.next(4 * code.d * ROWS_PER_CHUNK), first, Math.min(ROWS_PER_CHUNK, n - first));
}

function encodeRows(
  xs: Int32Array,
  ys: Int32Array,
  cols: Uint32Array,
  first: number,
  rows: number,
  d: number,
  scale: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = 4 * (first + r);
    let a0 = ys[o]!;
    let a1 = ys[o + 1]!;
    let a2 = ys[o + 2]!;
    let a3 = ys[o + 3]!;
    for (let c = r * d, end = c + d; c < end; c++) {
      const at = ((cols[c]! * scale) | 0) << 2;
      a0 ^= xs[at]!;
      a1 ^= xs[at + 1]!;
      a2 ^= xs[at + 2]!;
      a3 ^= xs[at + 3]!;
    }
    ys[o] = a0;
    ys[o + 1] = a1;
    ys[o + 2] = a2;
    ys[o + 3] = a3;
  }
}

function encodeBits(
  xBits: Uint8Array,
  yBits: Uint8Array,
  cols: Uint32Array,
  first: number,
  rows: number,
  d: number,
  scale: number,
): void {
  for (let r = 0; r < rows; r++) {
    let bit = yBits[first + r]!;
    for (let c = r * d, end = c + d; c < end; c++) bit ^= xBits[(cols[c]! * scale) | 0]!;
    yBits[first + r] = bit;
  }
}

/** Row i's d columns, straight from the definition: the test reference. */
export function lpnRowReference(code: LpnCode, i: number): number[] {
  const bytes = new AesPrg(code.seed).next(4 * code.d * (i + 1));
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, code.d * (i + 1));
  return Array.from(words.subarray(code.d * i), (w) => Number((BigInt(w) * BigInt(code.k)) >> 32n));
}
