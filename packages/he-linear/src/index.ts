/**
 * @secinfer/he-linear — convolution (with strides and padding), fully-connected and
 * batch-norm layers with BFV (node-seal), ending in additive shares: over the ring Z_2^ℓ
 * (Cheetah: t = 2^ℓ, coefficient encoding) or the field Z_n (CrypTFlow2's SCI_HE); keys as a
 * reusable session; re-randomisation and σ = 40 noise flooding per inference.
 */

/** The convolution and fully-connected shapes and the output size, declared once in @secinfer/mpc-primitives. */
export { type ConvLayer, convOutputSize, type FcLayer } from '@secinfer/mpc-primitives';
/** Layer shapes and the cleartext Z_n layers (the tests' oracles, the server's local half). */
export { type BnLayer, bnField, conv2dField, fcField } from './cleartext.js';
/** The protocols' first argument: the party context with the HE session, and its setup. */
export { type HeContext, heContext } from './context.js';
/** The plaintext space of a session (field or ring) and FC as a 1×1 convolution. */
export { fcAsConv, type PlainDomain } from './domain.js';
/** Typed errors: bad shapes or parties, parameter mismatches, exhausted noise budgets. */
export {
  type HeLinearErrorCode,
  HeParameterMismatchError,
  HeShapeError,
  NoiseBudgetError,
} from './errors.js';
/** The σ = 40 flooding plan of a layer (bits, output level) and its budget check. */
export { MIN_BUDGET, type NoisePlan, planNoise, SIGMA } from './noise.js';
/** BFV parameters: the field reference's per ℓ, the ring's by its cost model, and N. */
export {
  type HeParams,
  heParamsFor,
  isRingParams,
  RING_ELL_MAX,
  ringCoefficientModulus,
  ringDataBits,
  ringHeParamsFor,
  SLOTS,
} from './params.js';
/** Batch norm with coefficient encoding (the ring's); its block geometry. */
export {
  type CoefficientBnGeometry,
  coefficientBnGeometry,
} from './plans/bn-coefficients.js';
/** Convolution with Gazelle's channel packing (`encoding: 'slots'`); its packing geometry. */
export { type ConvGeometry, convGeometry } from './plans/conv.js';
/** Convolution with coefficient encoding (the default); its block geometry. */
export {
  type CoefficientConvGeometry,
  type ConvOperationCosts,
  coefficientConvGeometry,
  convOperationCosts,
} from './plans/conv-coefficients.js';
/** Fully-connected with the hybrid diagonal method; its packing geometry. */
export { type FcGeometry, fcGeometry } from './plans/fc.js';
/** How a layer's vectors map to plaintexts. */
export type { Encoding } from './plans/plan.js';
/** Batch norm's scaling as an elementwise product. */
export { heBatchNorm } from './protocols/bn.js';
export { heConv2d } from './protocols/conv.js';
export { heFullyConnected } from './protocols/fc.js';
/** The layers over Z_2^ℓ in the ring layout of @secinfer/mpc-primitives (ring sessions). */
export { heBatchNormRing, heConv2dRing, heFullyConnectedRing } from './protocols/ring.js';
/** The cleartext layers over Z_2^ℓ on values in [0, 2^ℓ) (the ring protocols' local half). */
export { bnRing, conv2dRing } from './ring-cleartext.js';
/** The per-connection keys and evaluators, with setup and per-layer statistics. */
export { HeSession, type LayerStats, type SetupStats } from './session.js';
