// 2-D max and average pooling in float64, NCHW, with explicit padding and ceil mode. A window
// is clipped to the padded input (ceil mode can push it past the end padding), as in PyTorch.
import type { Pool2dParams } from '../graph.js';

/** Shape of a pooling window sweep. */
export interface PoolGeometry extends Pool2dParams {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
}

/** Max over each window; padding cells never win. */
export function maxPool2d(x: Float64Array, g: PoolGeometry): Float64Array {
  const { n, c, h, w, oh, ow } = g;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [pt, pl] = g.pads;
  const out = new Float64Array(n * c * oh * ow);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = Math.max(oy * sh - pt, 0);
      const y1 = Math.min(oy * sh - pt + kh, h);
      for (let ox = 0; ox < ow; ox++, o++) {
        const x0 = Math.max(ox * sw - pl, 0);
        const x1 = Math.min(ox * sw - pl + kw, w);
        let best = Number.NEGATIVE_INFINITY;
        for (let y = y0; y < y1; y++) {
          for (let i = base + y * w + x0, end = base + y * w + x1; i < end; i++) {
            if (x[i]! > best) best = x[i]!;
          }
        }
        out[o] = best;
      }
    }
  }
  return out;
}

/** Mean over each window, counting padding cells in the divisor or not. */
export function avgPool2d(
  x: Float64Array,
  g: PoolGeometry,
  countIncludePad: boolean,
): Float64Array {
  const { n, c, h, w, oh, ow } = g;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [pt, pl, pb, pr] = g.pads;
  const out = new Float64Array(n * c * oh * ow);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const py0 = oy * sh - pt;
      const py1 = Math.min(py0 + kh, h + pb);
      const y0 = Math.max(py0, 0);
      const y1 = Math.min(py1, h);
      for (let ox = 0; ox < ow; ox++, o++) {
        const px0 = ox * sw - pl;
        const px1 = Math.min(px0 + kw, w + pr);
        const x0 = Math.max(px0, 0);
        const x1 = Math.min(px1, w);
        let sum = 0;
        for (let y = y0; y < y1; y++) {
          for (let i = base + y * w + x0, end = base + y * w + x1; i < end; i++) sum += x[i]!;
        }
        const count = countIncludePad ? (py1 - py0) * (px1 - px0) : (y1 - y0) * (x1 - x0);
        out[o] = sum / count;
      }
    }
  }
  return out;
}

/** Mean over all spatial positions of each (image, channel) plane. */
export function globalAvgPool(x: Float64Array, planes: number, planeSize: number): Float64Array {
  const out = new Float64Array(planes);
  for (let p = 0; p < planes; p++) {
    let sum = 0;
    for (let i = p * planeSize, end = i + planeSize; i < end; i++) sum += x[i]!;
    out[p] = sum / planeSize;
  }
  return out;
}
