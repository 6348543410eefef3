// 2-D convolution in float64 as im2col + matrix product, per image and per group: each output
// pixel's receptive field is copied into one contiguous patch row, so the convolution becomes
// one large product of the weight rows with the patch rows.
import { type ConvLayer, convOutputSize } from '@secinfer/mpc-primitives';
import type { ConvNode } from '../graph.js';
import { matmulAccumulateBT } from './matmul.js';

/**
 * A convolution as nn's executors see it: the backends' ConvLayer, dilations given, plus the
 * channel groups that only the cleartext kernels run (the secure backends need group = 1).
 */
export interface GroupedConvLayer extends Required<ConvLayer> {
  /** Channels split into `group` independent convolutions (ONNX `group`). */
  readonly group: number;
}

/** The layer of a conv node over `inShape` = [batch, channels, height, width]. */
export function convLayerOf(node: ConvNode, inShape: readonly number[]): GroupedConvLayer {
  const [batch, inChannels, height, width] = inShape as [number, number, number, number];
  const [outChannels, , kh, kw] = node.weight.shape as [number, number, number, number];
  return {
    batch,
    inChannels,
    height,
    width,
    outChannels,
    kernel: [kh, kw],
    strides: node.strides,
    pads: node.pads,
    dilations: node.dilations,
    group: node.group,
  };
}

/**
 * Patch matrix [oh*ow, cg*kh*kw] of channels [c0, c0+cg) of image `img`, one row per output
 * pixel, in the weight's (channel, ky, kx) order; padding reads 0.
 */
function im2row(
  x: Float64Array,
  g: GroupedConvLayer,
  [oh, ow]: readonly [number, number],
  img: number,
  c0: number,
  cg: number,
): Float64Array {
  const { height: h, width: w } = g;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, pl] = g.pads;
  const k = cg * kh * kw;
  const patches = new Float64Array(oh * ow * k);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let dst = (oy * ow + ox) * k;
      for (let ci = 0; ci < cg; ci++) {
        const plane = (img * g.inChannels + c0 + ci) * h * w;
        for (let ky = 0; ky < kh; ky++) {
          const iy = oy * sh - pt + ky * dh;
          const inside = iy >= 0 && iy < h;
          const src = plane + iy * w;
          for (let kx = 0; kx < kw; kx++, dst++) {
            const ix = ox * sw - pl + kx * dw;
            if (inside && ix >= 0 && ix < w) patches[dst] = x[src + ix]!;
          }
        }
      }
    }
  }
  return patches;
}

/** y = conv(x, weight) + bias, NCHW in and out; weight is [m, c/group, kh, kw]. */
export function conv2d(
  x: Float64Array,
  weight: Float64Array,
  bias: Float64Array | undefined,
  g: GroupedConvLayer,
): Float64Array {
  const { batch: n, inChannels: c, outChannels: m, group } = g;
  const [kh, kw] = g.kernel;
  const outSize = convOutputSize(g);
  const [oh, ow] = outSize;
  const cg = c / group;
  const mg = m / group;
  const k = cg * kh * kw;
  const spatial = oh * ow;
  const out = new Float64Array(n * m * spatial);
  if (bias) {
    for (let i = 0; i < n * m; i++) out.fill(bias[i % m]!, i * spatial, (i + 1) * spatial);
  }
  for (let img = 0; img < n; img++) {
    for (let gi = 0; gi < group; gi++) {
      const patches = im2row(x, g, outSize, img, gi * cg, cg);
      const outOff = (img * m + gi * mg) * spatial;
      matmulAccumulateBT(out, outOff, weight, gi * mg * k, patches, 0, mg, k, spatial);
    }
  }
  return out;
}
