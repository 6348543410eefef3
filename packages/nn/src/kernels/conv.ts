// 2-D convolution in float64 as im2col + matrix product, per image and per group: each output
// pixel's receptive field is copied into one contiguous patch row, so the convolution becomes
// one large product of the weight rows with the patch rows.
import type { ConvNode } from '../graph.js';
import { matmulAccumulateBT } from './matmul.js';

/** Geometry of one convolution. */
export interface ConvGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly m: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
  readonly group: number;
}

/** The geometry of a conv node over `inShape` with its inferred output shape. */
export function convGeometryOf(
  node: ConvNode,
  inShape: readonly number[],
  outShape: readonly number[],
): ConvGeometry {
  const [n, c, h, w] = inShape as [number, number, number, number];
  const [m, , kh, kw] = node.weight.shape as [number, number, number, number];
  return {
    n,
    c,
    h,
    w,
    m,
    kh,
    kw,
    oh: outShape[2]!,
    ow: outShape[3]!,
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
  g: ConvGeometry,
  img: number,
  c0: number,
  cg: number,
): Float64Array {
  const { h, w, kh, kw, oh, ow } = g;
  const [sh, sw] = g.strides;
  const [dh, dw] = g.dilations;
  const [pt, pl] = g.pads;
  const k = cg * kh * kw;
  const patches = new Float64Array(oh * ow * k);
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      let dst = (oy * ow + ox) * k;
      for (let ci = 0; ci < cg; ci++) {
        const plane = (img * g.c + c0 + ci) * h * w;
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
  g: ConvGeometry,
): Float64Array {
  const { n, c, m, kh, kw, oh, ow, group } = g;
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
      const patches = im2row(x, g, img, gi * cg, cg);
      const outOff = (img * m + gi * mg) * spatial;
      matmulAccumulateBT(out, outOff, weight, gi * mg * k, patches, 0, mg, k, spatial);
    }
  }
  return out;
}
