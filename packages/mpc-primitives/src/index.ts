/**
 * @secinfer/mpc-primitives — Z_2^ℓ (1 ≤ ℓ ≤ 64) and Z_n (n < 2^38) on typed arrays, additive and
 * XOR sharing, the packed wire format, and CrypTFlow2's non-linear protocols on top of OT.
 */

/** The first argument of every protocol: party, channel and OT, made from one OtPack. */
export { type PartyContext, partyContext } from './context.js';
/** A bad bit width, modulus, length or value, thrown before any work. */
export { ParameterError, type ParameterErrorCode } from './errors.js';
/** The HE backend's prime field Z_n: descriptor, arithmetic, signed mapping, sampling. */
export {
  FIELD_PRIME_32,
  FIELD_PRIME_37,
  type Field,
  field,
  fieldAdd,
  fieldFromRing,
  fieldFromSigned,
  fieldMul,
  fieldMulPublic,
  fieldNeg,
  fieldRandom,
  fieldSub,
  fieldToRing,
  fieldToSigned,
} from './field.js';
/**
 * The wire format: ℓ bits per element (bits(n) for Z_n), one bit per boolean, LSB first;
 * the layout helpers, packedBytes(count, ℓ) and packBits are @secinfer/ot's.
 */
export {
  fieldPack,
  fieldPackedBytes,
  fieldUnpack,
  packBits,
  packedBytes,
  ringPack,
  ringUnpack,
  topWordMask,
  unpackBits,
  wordsPerValue,
} from './pack.js';
/** The two parties (SERVER holds the model, CLIENT the input) and their type, from @secinfer/ot. */
export { CLIENT, type Party, SERVER } from './party.js';
/** Boolean AND on XOR shares with bit triples from 1-out-of-16 OT. */
export { andBatch, andShares, type PairedAnds, type SingleAnds } from './protocols/and.js';
export { argmax } from './protocols/argmax.js';
export { b2a, b2aScaled } from './protocols/b2a.js';
export { b2aField } from './protocols/b2a-field.js';
export {
  type BitTriples,
  generateBitTriples,
  generatePairedBitTriples,
  type PairedBitTriples,
} from './protocols/bit-triples.js';
/** Exact signed division by a public integer (average pooling), over Z_2^ℓ and Z_p. */
export { divRing, MAX_DIVISOR } from './protocols/division.js';
export { divField } from './protocols/division-field.js';
export { dreluField, fieldComparisonBits } from './protocols/drelu-field.js';
/** DReLU over Z_2^ℓ and over Z_p, MUX, boolean-to-arithmetic and ReLU. */
export { dreluRing } from './protocols/drelu-ring.js';
export { signExtend } from './protocols/extension.js';
/** Maxpool and argmax as batched trees of DReLU + MUX. */
export { maxPairs } from './protocols/max.js';
export { maxpool, type PoolShape, poolOutputSize } from './protocols/maxpool.js';
/** The millionaires' protocol (CrypTFlow2 Algorithm 1) and the wrap of an additive sharing. */
export {
  MILLIONAIRE_RADIX,
  millionaire,
  millionaireAndCount,
  millionaireGrouped,
  millionaireWithEquality,
} from './protocols/millionaire.js';
export { mux } from './protocols/mux.js';
export { muxField } from './protocols/mux-field.js';
/** What the protocols need from oblivious transfer (real OT, or an ideal one in tests). */
export type { OtPort } from './protocols/ot-port.js';
export { reluField } from './protocols/relu-field.js';
export { reluRing } from './protocols/relu-ring.js';
/** Faithful truncation, its non-negative variant, TruncReduce and signed extension. */
export { trunc, truncNonNegative, truncReduce } from './protocols/truncation.js';
/** Opt-in one-bit-error truncation (Cheetah): ⌊x / 2^s⌋ or one less; never the default. */
export {
  truncApproximate,
  truncApproximateNonNegative,
} from './protocols/truncation-approximate.js';
/** Truncation by 2^s over Z_p (p ≡ 1 mod 2^(s+1)): the HE backend's rescaling. */
export {
  truncField,
  truncFieldNonNegative,
  truncFieldSupports,
} from './protocols/truncation-field.js';
export { wrapOfShares, wrapOfSharesWithEquality } from './protocols/wrap.js';
/** Uniform randomness (OS-seeded AES-CTR; words and bits are @secinfer/ot's): words, ring elements, bits. */
export { randomBits, randomWords, ringRandom } from './random.js';
/** The ring Z_2^ℓ: descriptor, arithmetic, shifts, signed/unsigned views. */
export {
  checkRingVector,
  type Ring,
  ring,
  ringAdd,
  ringFromSigned,
  ringFromUnsigned,
  ringLength,
  ringMul,
  ringMulPublic,
  ringNeg,
  ringShiftLeft,
  ringShiftRight,
  ringSignExtend64,
  ringSub,
  ringToSigned,
  ringToUnsigned,
  ringZeros,
} from './ring.js';
/** The layer shapes of the linear backends, declared once, and the one window output size. */
export {
  type ConvLayer,
  convLayerProblem,
  convOutputSize,
  type FcLayer,
  windowOutputSize,
} from './shapes.js';
/** Additive shares over Z_2^ℓ and Z_n, XOR shares of bits; opening to one party. */
export {
  boolReconstruct,
  boolRevealTo,
  boolShare,
  fieldReconstruct,
  fieldRevealTo,
  fieldShare,
  ringReconstruct,
  ringRevealTo,
  ringShare,
} from './sharing.js';
