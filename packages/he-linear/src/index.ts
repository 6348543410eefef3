/**
 * @secinfer/he-linear — CrypTFlow2's SCI_HE linear layers: convolution (with strides and
 * padding), fully-connected and batch-norm over Z_n with BFV (node-seal), ending in additive
 * shares; keys as a reusable session; re-randomisation and σ = 40 noise flooding.
 */

/** The convolution and fully-connected shapes and the output size, declared once in @secinfer/mpc-primitives. */
export { type ConvLayer, convOutputSize, type FcLayer } from '@secinfer/mpc-primitives';
/** Layer shapes and the cleartext Z_n layers (the tests' oracles, the server's local half). */
export { type BnLayer, bnField, conv2dField, fcField } from './cleartext.js';
/** The protocols' first argument: the party context with the HE session, and its setup. */
export { type HeContext, heContext } from './context.js';
/** Typed errors: bad shapes or parties, parameter mismatches, exhausted noise budgets. */
export {
  type HeLinearErrorCode,
  HeParameterMismatchError,
  HeShapeError,
  NoiseBudgetError,
} from './errors.js';
/** The σ = 40 flooding plan of a layer (bits, output level) and its budget check. */
export { MIN_BUDGET, type NoisePlan, planNoise, SIGMA } from './noise.js';
/** BFV parameters: the reference's defaults per ℓ, and the slot count. */
export { type HeParams, heParamsFor, SLOTS } from './params.js';
/** Convolution with Gazelle's channel packing (`encoding: 'slots'`); its packing geometry. */
export { type ConvGeometry, convGeometry } from './plans/conv.js';
/** Convolution with coefficient encoding (the default); its block geometry. */
export {
  type CoefficientConvGeometry,
  coefficientConvGeometry,
} from './plans/conv-coefficients.js';
/** Fully-connected with the hybrid diagonal method; its packing geometry. */
export { type FcGeometry, fcGeometry } from './plans/fc.js';
/** How a layer's vectors map to plaintexts. */
export type { Encoding } from './plans/plan.js';
/** Batch norm's scaling as an elementwise product. */
export { heBatchNorm } from './protocols/bn.js';
export { heConv2d } from './protocols/conv.js';
export { heFullyConnected } from './protocols/fc.js';
/** The per-connection keys and evaluators, with setup and per-layer statistics. */
export { HeSession, type LayerStats, type SetupStats } from './session.js';
