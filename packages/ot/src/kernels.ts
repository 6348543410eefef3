/**
 * @secinfer/ot/kernels — the pure, synchronous kernels under the OT extensions, for callers
 * that build their own: bit-matrix transpose and XOR in plain TypeScript (the references) and
 * their WebAssembly SIMD twins. The main entry keeps the protocol API.
 * @module
 */

/** Bit-matrix transpose: the plain TypeScript reference. */
export { transposeReference } from './kernels/transpose.js';
/** Bit-matrix transpose and XOR: the WebAssembly SIMD kernels. */
export { transpose, xorIntoWasm } from './kernels/transpose-wasm.js';
/** Word-wise XOR of byte buffers. */
export { xorInto } from './kernels/xor.js';
