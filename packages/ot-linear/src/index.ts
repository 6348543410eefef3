/**
 * @secinfer/ot-linear — the linear layers of CrypTFlow2's OT backend: matrix multiplication,
 * convolution and fully-connected layers over Z_2^ℓ with server-held weights on vector
 * correlated OT, and the local linear operations on shares.
 * @module
 */

/** The layer shapes (declared once in @secinfer/mpc-primitives). */
export type { ConvLayer, FcLayer } from '@secinfer/mpc-primitives';
/** The typed parameter error and its codes. */
export { OtLinearError, type OtLinearErrorCode } from './errors.js';
/** Bias, residual addition, concatenation and public scaling on shares (no communication). */
export {
  addBias,
  addShares,
  type BiasShape,
  concat,
  mulPublic,
  type SharedTensor,
} from './local.js';
/** Convolution (NCHW, groups = 1) and fully-connected layers with server-held weights. */
export { conv2dServerWeights, fullyConnectedServerWeights } from './protocols/conv.js';
/** Shares of A·B from the chooser's A (bits choose) and the correlator's B (rows correlate). */
export {
  cotProductChoose,
  cotProductCorrelate,
  type ProductDims,
} from './protocols/cot-product.js';
/** W · X with W held by the server, X shared; the orientation with fewer OTs. */
export { clientChooses, matmulServerWeights, type WeightOptions } from './protocols/matmul.js';
/** diag(w) · X with w held by the server: batch norm's multiplier, one OT call for all rows. */
export { type RowScaleDims, scaleRowsServerWeights } from './protocols/scale-rows.js';
/** The matmul's dimensions and the convolution's output size. */
export { convOutputSize, type MatmulDims } from './shapes.js';
