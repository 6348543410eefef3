/**
 * The layers in the clear over Z_n: the oracles of the tests, and the server's local half of
 * each protocol (it applies its weights to its own share x0, as SCI's `ideal_functionality`).
 * Exact: products of two elements < 2^38 are reduced by Horner over 13-bit digits of the
 * weight (each step < 2^52, as in mpc-primitives' fieldMul), with the digits of a weight
 * split once outside the inner loop. No BigInt.
 */
import {
  type ConvLayer,
  convLayerProblem,
  convOutputSize,
  type FcLayer,
  type Field,
} from '@secinfer/mpc-primitives';
import { HeShapeError } from './errors.js';

/** Batch norm as y[n, c, p] = scale[c] · x[n, c, p]: [batch, channels, spatial]. */
export interface BnLayer {
  batch: number;
  channels: number;
  spatial: number;
}

const positive = (v: number) => Number.isSafeInteger(v) && v > 0;

/** Checks a convolution's shape; throws HeShapeError naming the bad field. */
export function checkConvLayer(layer: ConvLayer): void {
  const problem = convLayerProblem(layer);
  if (problem) throw new HeShapeError(`conv ${problem}`);
  if (layer.dilations && (layer.dilations[0] !== 1 || layer.dilations[1] !== 1))
    throw new HeShapeError(`conv dilations ${layer.dilations.join('×')}: only 1×1 is supported`);
}

/** Checks an FC layer's shape. */
export function checkFcLayer(layer: FcLayer): void {
  for (const name of ['batch', 'inFeatures', 'outFeatures'] as const)
    if (!positive(layer[name]))
      throw new HeShapeError(`fc ${name} must be a positive integer, got ${layer[name]}`);
}

/** Checks a batch-norm layer's shape. */
export function checkBnLayer(layer: BnLayer): void {
  for (const name of ['batch', 'channels', 'spatial'] as const)
    if (!positive(layer[name]))
      throw new HeShapeError(`batch norm ${name} must be a positive integer, got ${layer[name]}`);
}

/** acc + a·w mod n, with w given by its 13-bit digits (w = d2·2^26 + d1·2^13 + d0). */
function mulAdd(
  acc: number,
  a: number,
  d2: number,
  d1: number,
  d0: number,
  n: number,
  inv: number,
) {
  let r = a * d2;
  r -= Math.floor(r * inv) * n;
  r = r * 8192 + a * d1;
  r -= Math.floor(r * inv) * n;
  r = r * 8192 + a * d0 + acc;
  r -= Math.floor(r * inv) * n;
  return r < 0 ? r + n : r >= n ? r - n : r;
}

/**
 * acc + a·w mod n for a small centred weight w (|a·w| + n < 2^53, so the sum is exact in a
 * float64): one reduction instead of mulAdd's three.
 */
function mulAddSmall(acc: number, a: number, w: number, n: number, inv: number): number {
  let r = acc + a * w;
  r -= Math.floor(r * inv) * n;
  return r < 0 ? r + n : r >= n ? r - n : r;
}

/**
 * The weights centred into (−n/2, n/2] when all of them are small enough for mulAddSmall
 * (the networks' weights are b-bit integers with b ≪ 53 − log2 n), else undefined.
 */
function smallWeights(f: Field, w: Float64Array): Float64Array | undefined {
  const out = new Float64Array(w.length);
  const limit = (2 ** 53 - 2 * f.n) / f.n;
  for (let i = 0; i < w.length; i++) {
    const centred = w[i]! > f.n / 2 ? w[i]! - f.n : w[i]!;
    if (Math.abs(centred) > limit) return undefined;
    out[i] = centred;
  }
  return out;
}

function digits(w: number): [number, number, number] {
  const d2 = Math.floor(w / 67108864);
  const low = w - d2 * 67108864;
  return [d2, low >>> 13, low & 8191];
}

/** One tap on one output row: out[outputAt + ow] += w[weightAt] · x[inputAt + ow·step], ow0 ≤ ow < ow1. */
export type TapRow<Out = Float64Array> = (
  out: Out,
  weightAt: number,
  inputAt: number,
  outputAt: number,
  ow0: number,
  ow1: number,
  step: number,
) => void;

/**
 * The loop geometry of a convolution, shared by the field and the ring layers: the NCHW
 * output (zeros) after `row` has run for every tap of every output row, over the columns whose
 * input lies inside the image (padding reads 0).
 */
export function convolve(layer: ConvLayer, row: TapRow): Float64Array;
/** The same into `out` (zeros, batch·M·OH·OW long) of another element type. */
export function convolve<Out>(layer: ConvLayer, row: TapRow<Out>, out: Out): Out;
export function convolve<Out>(layer: ConvLayer, row: TapRow<Out>, given?: Out): Out {
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.strides;
  const [pt, pl] = layer.pads;
  const [OH, OW] = convOutputSize(layer);
  const out = given ?? (new Float64Array(batch * M * OH * OW) as Out);
  for (let b = 0; b < batch; b++)
    for (let m = 0; m < M; m++) {
      const o = (b * M + m) * OH * OW;
      for (let c = 0; c < C; c++)
        for (let dy = 0; dy < kh; dy++)
          for (let dx = 0; dx < kw; dx++) {
            const at = ((m * C + c) * kh + dy) * kw + dx;
            const base = (b * C + c) * H * W;
            const ow0 = Math.max(0, Math.ceil((pl - dx) / sw));
            const ow1 = Math.min(OW, Math.floor((W - 1 + pl - dx) / sw) + 1);
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh + dy - pt;
              if (ih >= 0 && ih < H)
                row(out, at, base + ih * W + dx - pl, o + oh * OW, ow0, ow1, sw);
            }
          }
    }
  return out;
}

/** Convolution over Z_n, NCHW, exact. */
export function conv2dField(
  f: Field,
  layer: ConvLayer,
  x: Float64Array,
  w: Float64Array,
): Float64Array {
  const { n, inverse } = f;
  const small = smallWeights(f, w);
  return convolve(layer, (out, at, inputAt, outputAt, ow0, ow1, sw) => {
    const weight = w[at]!;
    if (weight === 0) return;
    if (small) {
      const centred = small[at]!;
      for (let ow = ow0; ow < ow1; ow++)
        out[outputAt + ow] = mulAddSmall(
          out[outputAt + ow]!,
          x[inputAt + ow * sw]!,
          centred,
          n,
          inverse,
        );
      return;
    }
    const [d2, d1, d0] = digits(weight);
    for (let ow = ow0; ow < ow1; ow++)
      out[outputAt + ow] = mulAdd(
        out[outputAt + ow]!,
        x[inputAt + ow * sw]!,
        d2,
        d1,
        d0,
        n,
        inverse,
      );
  });
}

/** Fully-connected layer over Z_n: out[b, o] = Σ_i w[o, i]·x[b, i]. */
export function fcField(f: Field, layer: FcLayer, x: Float64Array, w: Float64Array): Float64Array {
  const { batch, inFeatures: I, outFeatures: O } = layer;
  const { n, inverse } = f;
  const out = new Float64Array(batch * O);
  for (let o = 0; o < O; o++)
    for (let i = 0; i < I; i++) {
      const weight = w[o * I + i]!;
      if (weight === 0) continue;
      const [d2, d1, d0] = digits(weight);
      for (let b = 0; b < batch; b++)
        out[b * O + o] = mulAdd(out[b * O + o]!, x[b * I + i]!, d2, d1, d0, n, inverse);
    }
  return out;
}

/** Batch norm's multiplication over Z_n: y[b, c, p] = scale[c]·x[b, c, p]. */
export function bnField(
  f: Field,
  layer: BnLayer,
  x: Float64Array,
  scale: Float64Array,
): Float64Array {
  const { batch, channels, spatial } = layer;
  const { n, inverse } = f;
  const out = new Float64Array(batch * channels * spatial);
  for (let b = 0; b < batch; b++)
    for (let c = 0; c < channels; c++) {
      const [d2, d1, d0] = digits(scale[c]!);
      const base = (b * channels + c) * spatial;
      for (let p = 0; p < spatial; p++)
        out[base + p] = mulAdd(0, x[base + p]!, d2, d1, d0, n, inverse);
    }
  return out;
}
