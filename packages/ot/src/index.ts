/**
 * @secinfer/ot — base OT, IKNP OT extension, Ferret silent COT and 1-out-of-N OT, with batched
 * fixed-key AES. Kernels: `@secinfer/ot/kernels`.
 * @module
 */

/** Fixed-key AES hashes (π(x) ⊕ x, tweakable) and the AES-CTR PRG, one call per batch. */
export {
  AesPrg,
  aesEcb,
  crHash,
  crHashMasked,
  fixedKeyPermute,
  tccrHash,
  tccrHashMasked,
} from './aes.js';
/** Chou–Orlandi base OT over ristretto255, one message each way. */
export { type BaseOtSenderKeys, baseOtReceive, baseOtSend } from './base-ot.js';
/** Correlated OT over Z_2^ℓ on COT: ℓ + 1 bits per OT beyond the COT. */
export { cotCorrelatedReceive, cotCorrelatedSend } from './cot/correlated.js';
/** Random correlated OT with a global Δ: the interface, and its IKNP flavour. */
export {
  type CotBatch,
  type CotReceiver,
  type CotSender,
  IknpCotReceiver,
  IknpCotSender,
} from './cot/cot.js';
/** 1-out-of-N OT on log2 N COTs, a drop-in for KK13's send / receive. */
export { cotOneOfNReceive, cotOneOfNSend } from './cot/one-of-n.js';
/** Random and chosen-message OT on any global-Δ COT source. */
export {
  cotChosenOtReceive,
  cotChosenOtSend,
  cotRandomOtReceive,
  cotRandomOtSend,
} from './cot/ot.js';
/** Random bit OT on COT, no message (AND triples). */
export { cotRandomBitOtReceive, cotRandomBitOtSend } from './cot/random-bits.js';
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
  FERRET_B13,
  FERRET_B13_BOOTSTRAP,
  type FerretParams,
  reservedCots,
  usableCots,
} from './ferret/params.js';
/** IKNP OT extension: random, correlated (additive or XOR) and chosen-message OT. */
export { type Correlation, IknpReceiver, IknpSender } from './iknp.js';
/** The Z_2^ℓ layout (words per value, top-word mask) and the wire packing of values and bits. */
export {
  packBits,
  packedBytes,
  packValues,
  topWordMask,
  unpackValues,
  wordsPerValue,
} from './kernels/pack.js';
/** KK13 1-out-of-N OT (N = 2^m ≤ 256) for packed short messages. */
export { KkotReceiver, KkotSender } from './kkot.js';
/** Both OT directions between two parties, set up once. */
export { OtPack, type OtPackOptions } from './ot-pack.js';
/** The two parties (SERVER holds the model, CLIENT the input) and their type, for every layer. */
export { CLIENT, type Party, SERVER } from './party.js';
/** OS-seeded randomness expanded by AES-CTR: seeds, bytes, words, bits. */
export { randomBits, randomBytes, randomSeed, randomWords } from './random.js';
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
