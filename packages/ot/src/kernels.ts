/**
 * @secinfer/ot/kernels — the pure, synchronous kernels under the OT extensions, for callers
 * that build their own: bit-matrix transpose and XOR in plain TypeScript (the references) and
 * their WebAssembly SIMD twins, the WebAssembly AES-128, Z_2^ℓ addition on the two-limb
 * layout, and Ferret's GGM-tree and LPN kernels with their references. The main entry keeps
 * the protocol API.
 * @module
 */

/** Ferret's GGM trees (punctured PRF on fixed-key AES): batched levels and the per-node reference. */
export {
  expandLevel,
  ggmReceive,
  ggmReceiveReference,
  ggmSend,
  ggmSendReference,
  ggmTreeReference,
  sideSums,
} from './ferret/ggm.js';
/** Ferret's LPN step: the d-sparse local code and its row-by-row reference. */
export { type LpnCode, lpnEncode, lpnEncodeReference, lpnRowReference } from './ferret/lpn.js';
/** AES-128 (ECB and the CTR keystream): the bitsliced, constant-time WebAssembly SIMD kernel. */
export { AesCtrWasm, AesEcbWasm } from './kernels/aes-wasm.js';
/** Z_2^ℓ addition and subtraction on the project's layout (the one TypeScript two-limb kernel). */
export { addLimbs, ringAddInto, ringSubInto, subLimbs } from './kernels/ring.js';
/** Bit-matrix transpose: the plain TypeScript reference. */
export { transposeReference } from './kernels/transpose.js';
/** Bit-matrix transpose and XOR: the WebAssembly SIMD kernels. */
export { transpose, xorIntoWasm } from './kernels/transpose-wasm.js';
/** Word-wise XOR of byte buffers. */
export { xorInto } from './kernels/xor.js';
