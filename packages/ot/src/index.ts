/**
 * @secinfer/ot — base OT, IKNP OT extension and 1-out-of-N OT, with batched fixed-key AES.
 * @module
 */

/** Fixed-key AES hashes (π(x) ⊕ x, tweakable) and the AES-CTR PRG, one call per batch. */
export { AesPrg, aesEcb, crHash, crHashMasked, fixedKeyPermute, tccrHash } from './aes.js';
/** Chou–Orlandi base OT over ristretto255, one message each way. */
export { type BaseOtSenderKeys, baseOtReceive, baseOtSend } from './base-ot.js';
/** The typed parameter error and its codes. */
export { OtError, type OtErrorCode } from './errors.js';
/** IKNP OT extension: random, correlated (additive or XOR) and chosen-message OT. */
export { type Correlation, IknpReceiver, IknpSender } from './iknp.js';
/** Bit packing of ℓ-bit values and choice bits, as on the wire. */
export { packBits, packedBytes, packValues, unpackValues } from './kernels/pack.js';
/** KK13 1-out-of-N OT (N = 2^m ≤ 256) for packed short messages. */
export { KkotReceiver, KkotSender } from './kkot.js';
/** Both OT directions between two parties, set up once. */
export { OtPack } from './ot-pack.js';
/** The two parties (SERVER holds the model, CLIENT the input) and their type, for every layer. */
export { CLIENT, type Party, SERVER } from './party.js';
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
