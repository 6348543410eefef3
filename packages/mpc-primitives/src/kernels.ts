/**
 * @secinfer/mpc-primitives/kernels — the Z_2^ℓ limb kernels under the ring arithmetic for
 * 32 < ℓ ≤ 64 (two 32-bit limbs per element), for callers that build their own arithmetic or
 * benchmark it: the plain TypeScript reference and its WebAssembly twin (native i64), which
 * `ring*` picks when the runtime has WebAssembly. The main entry keeps the protocol API.
 * @module
 */

/** The WebAssembly limb kernels and whether this runtime can run them. */
export { wasmAvailable, wasmKernels } from './kernels/ring-wasm.js';
/** The kernel interface and its plain TypeScript implementation. */
export { type LimbKernels, limbKernels } from './ring-limbs.js';
