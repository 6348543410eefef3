/**
 * @secinfer/ot — base OT, IKNP OT extension and 1-out-of-N OT, with batched fixed-key AES.
 * @module
 */

/** Fixed-key AES hashes (π(x) ⊕ x, tweakable) and the AES-CTR PRG, one call per batch. */
export { AesPrg, aesEcb, crHash, crHashMasked, fixedKeyPermute, tccrHash } from './aes.js';
/** Chou–Orlandi base OT over ristretto255, one message each way. */
export { type BaseOtSenderKeys, baseOtReceive, baseOtSend } from './base-ot.js';
/** Random correlated OT with a global Δ: the interface, and its IKNP flavour. */
export {
  type CotBatch,
  type CotReceiver,
  type CotSender,
  IknpCotReceiver,
  IknpCotSender,
} from './cot/cot.js';
/** Random and chosen-message OT on any global-Δ COT source. */
export {
  cotChosenOtReceive,
  cotChosenOtSend,
  cotRandomOtReceive,
  cotRandomOtSend,
} from './cot/ot.js';
/** The typed parameter error and its codes. */
export { OtError, type OtErrorCode } from './errors.js';
/** Ferret silent COT: the streaming source and its parameter sets. */
export {
  type FerretOptions,
  FerretReceiver,
  FerretSender,
  ferretTreeBytes,
} from './ferret/ferret.js';
export {
  expandLevel,
  ggmReceive,
  ggmReceiveReference,
  ggmSend,
  ggmSendReference,
  ggmTreeReference,
  sideSums,
} from './ferret/ggm.js';
export { type LpnCode, lpnEncode, lpnEncodeReference, lpnRowReference } from './ferret/lpn.js';
export {
  FERRET_B13,
  FERRET_B13_BOOTSTRAP,
  type FerretParams,
  reservedCots,
  usableCots,
} from './ferret/params.js';
/** IKNP OT extension: random, correlated (additive or XOR) and chosen-message OT. */
export { type Correlation, IknpReceiver, IknpSender } from './iknp.js';
/** Bit packing of ℓ-bit values and choice bits, as on the wire. */
export { packBits, packedBytes, packValues, unpackValues } from './kernels/pack.js';
/** Bit-matrix transpose: the plain TypeScript reference. */
export { transposeReference } from './kernels/transpose.js';
/** Bit-matrix transpose and XOR: the WebAssembly SIMD kernels. */
export { transpose, xorIntoWasm } from './kernels/transpose-wasm.js';
/** Word-wise XOR of byte buffers. */
export { xorInto } from './kernels/xor.js';
/** KK13 1-out-of-N OT (N = 2^m ≤ 256) for packed short messages. */
export { KkotReceiver, KkotSender } from './kkot.js';
/** Both OT directions between two parties, set up once. */
export { OtPack, type Role } from './ot-pack.js';
/** OS-seeded randomness expanded by AES-CTR. */
export { randomBytes, randomSeed } from './random.js';
/** Vector correlated OT: one choice bit, k correlations of w_j ≤ ℓ bits each (linear layers). */
export {
  type VectorCotAccumulator,
  type VectorCotOutput,
  type VectorCotShape,
  type VectorCotSink,
  vectorCotBatchSize,
  vectorCotReceive,
  vectorCotSend,
} from './vector-cot.js';
/** The Walsh–Hadamard codewords KK13 uses. */
export { walshHadamardCodewords } from './walsh-hadamard.js';
