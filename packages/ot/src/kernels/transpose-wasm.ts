/**
 * The WebAssembly SIMD twin of transpose.ts (same layout, same results, ~50× faster), built
 * from asm/transpose.ts and embedded as base64, instantiated synchronously on first use.
 * Inputs are copied into the module's memory and the result copied out.
 */
import { checkTransposeShape } from './transpose.js';
import { TRANSPOSE_WASM_BASE64 } from './transpose.wasm.js';
import { BASE, instantiate, reserve, type WasmMemory } from './wasm.js';

interface Kernel {
  memory: WasmMemory;
  transpose(src: number, dst: number, rows: number, cols: number): void;
  xorInto(dst: number, src: number, bytes: number): void;
  kkKeys(q: number, masked: number, n: number, N: number, lo: number, hi: number): void;
  xor2Into(dst: number, a: number, b: number, bytes: number): void;
  xorTweaks(
    dst: number,
    src: number,
    count: number,
    firstLo: number,
    firstHi: number,
    perTweak: number,
  ): void;
  firstBytes(dst: number, a: number, b: number, count: number): void;
  packMasked(m: number, h: number, count: number, bits: number, out: number): void;
}

let kernel: Kernel | undefined;

/** The module's kernels, with at least `bytes` of memory from `BASE` on (for kkot.ts). */
export function wasmKernels(bytes: number): { k: Kernel; base: number } {
  const k = load();
  reserve(k.memory, bytes);
  return { k, base: BASE };
}

function load(): Kernel {
  kernel ??= instantiate<Kernel>(TRANSPOSE_WASM_BASE64);
  return kernel;
}

/**
 * The `cols × rows` transpose of the `rows × cols` bit matrix `src` (rows a multiple of 16,
 * cols of 8), written into `out` when given.
 */
export function transpose(
  src: Uint8Array,
  rows: number,
  cols: number,
  out = new Uint8Array((rows * cols) / 8),
): Uint8Array {
  checkTransposeShape(src, rows, cols);
  if (rows % 16 !== 0) throw new RangeError('transpose: rows must be a multiple of 16');
  const k = load();
  const size = (rows * cols) / 8;
  reserve(k.memory, 2 * size);
  const mem = new Uint8Array(k.memory.buffer);
  mem.set(src.subarray(0, size), BASE);
  k.transpose(BASE, BASE + size, rows, cols);
  out.set(new Uint8Array(k.memory.buffer, BASE + size, size));
  return out;
}

/**
 * Like transpose, but `fill` writes the `rows × cols` input straight into the module's
 * memory (no separate input array, no copy in).
 */
export function transposeFilled(
  rows: number,
  cols: number,
  fill: (input: Uint8Array) => void,
): Uint8Array {
  const k = load();
  const size = (rows * cols) / 8;
  reserve(k.memory, 2 * size);
  fill(new Uint8Array(k.memory.buffer, BASE, size));
  k.transpose(BASE, BASE + size, rows, cols);
  return new Uint8Array(k.memory.buffer, BASE + size, size).slice();
}

/** dst ⊕= src over dst.length bytes with WebAssembly SIMD (the twin of xor.ts's xorInto). */
export function xorIntoWasm(dst: Uint8Array, src: Uint8Array): void {
  const n = dst.byteLength;
  const padded = Math.ceil(n / 16) * 16;
  const k = load();
  reserve(k.memory, 2 * padded);
  const mem = new Uint8Array(k.memory.buffer);
  mem.fill(0, BASE, BASE + 2 * padded);
  mem.set(dst, BASE);
  mem.set(src.subarray(0, n), BASE + padded);
  k.xorInto(BASE, BASE + padded, padded);
  dst.set(new Uint8Array(k.memory.buffer, BASE, n));
}
