/**
 * Convolution and fully-connected layers with server-held weights, as structured matrix
 * products (see matmul.ts). Convolution (NCHW, groups = 1, any kernel, stride, padding,
 * dilation) is W [M, C·kh·kw] · im2col(X) [C·kh·kw, N·OH·OW]: each party applies im2col to its
 * own share (im2col is linear, padding is zero in both shares). Only the share's im2col is
 * materialised (skipped for 1×1, stride 1, no padding, batch 1, where it is X itself); the OT
 * outputs are accumulated into the result inside the OT kernels. A fully-connected layer is
 * W [out, in] · xᵀ [in, batch].
 */
import { type ConvLayer, type FcLayer, type PartyContext, SERVER } from '@secinfer/mpc-primitives';
import { wordsPerValue } from '@secinfer/ot';
import { im2col, toBatchFirst, transpose } from '../kernels/matrix.js';
import {
  checkDims,
  checkVector,
  checkWeights,
  convOutputSize,
  requireBits,
  requireEll,
} from '../shapes.js';
import { checkParty, serverWeightsProduct, type WeightOptions } from './matmul.js';

/**
 * This party's share of conv(X, W): output [N, M, OH, OW]. `x` is its share of the NCHW input;
 * `weights` [M, C, kh, kw] are given by the server only. Throws OtLinearError before any I/O
 * when the layer does not match the data.
 */
export async function conv2dServerWeights(
  ctx: PartyContext,
  layer: ConvLayer,
  ell: number,
  x: Uint32Array,
  weights?: Uint32Array,
  options: WeightOptions = {},
): Promise<Uint32Array> {
  const what = 'conv2dServerWeights';
  requireEll(ell, what);
  checkParty(ctx.party, what);
  const [oh, ow] = convOutputSize(layer);
  const { batch, inChannels, height, width, outChannels } = layer;
  const [kh, kw] = layer.kernel;
  checkVector(x, batch * inChannels * height * width, ell, `${what}: x`);
  checkWeights(ctx.party === SERVER, weights, outChannels * inChannels * kh * kw, ell, what);
  const weightBits = options.weightBits ?? ell;
  requireBits(weightBits, ell, what);
  const wpv = wordsPerValue(ell);
  const [sh, sw] = layer.strides;
  const direct = kh === 1 && kw === 1 && sh === 1 && sw === 1 && batch === 1;
  const noPads = layer.pads.every((p) => p === 0);
  const cols = direct && noPads ? x : im2col(x, layer, oh, ow, wpv);
  const dims = { d1: outChannels, d2: inChannels * kh * kw, d3: batch * oh * ow };
  const y = await serverWeightsProduct(ctx, dims, ell, cols, weights, weightBits);
  return toBatchFirst(y, outChannels, batch, oh * ow, wpv);
}

/**
 * This party's share of x · Wᵀ: output [batch, outFeatures]. `x` is its share of
 * [batch, inFeatures]; `weights` [outFeatures, inFeatures] are given by the server only.
 */
export async function fullyConnectedServerWeights(
  ctx: PartyContext,
  layer: FcLayer,
  ell: number,
  x: Uint32Array,
  weights?: Uint32Array,
  options: WeightOptions = {},
): Promise<Uint32Array> {
  const what = 'fullyConnectedServerWeights';
  requireEll(ell, what);
  checkParty(ctx.party, what);
  const dims = { d1: layer.outFeatures, d2: layer.inFeatures, d3: layer.batch };
  checkDims(dims, what);
  checkVector(x, layer.batch * layer.inFeatures, ell, `${what}: x`);
  checkWeights(ctx.party === SERVER, weights, layer.outFeatures * layer.inFeatures, ell, what);
  const weightBits = options.weightBits ?? ell;
  requireBits(weightBits, ell, what);
  const wpv = wordsPerValue(ell);
  const xt = transpose(x, layer.batch, layer.inFeatures, wpv);
  const y = await serverWeightsProduct(ctx, dims, ell, xt, weights, weightBits);
  return transpose(y, layer.outFeatures, layer.batch, wpv);
}
