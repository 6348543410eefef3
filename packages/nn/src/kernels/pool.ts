// 2-D max and average pooling in float64, NCHW, with explicit padding and ceil mode, on the
// window tables of windows.ts (the same cells the fixed-point and secure executors pool).
import type { Pool2dParams } from '../graph.js';
import { windowTable } from './windows.js';

/** Shape of a pooling window sweep. */
export interface PoolGeometry extends Pool2dParams {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
}

/** The sweep of a pool node over an [n, c, h, w] input with its inferred [.., oh, ow] output. */
export function poolGeometryOf(
  node: Pool2dParams,
  inShape: readonly number[],
  outShape: readonly number[],
): PoolGeometry {
  const [n, c, h, w] = inShape as [number, number, number, number];
  return {
    n,
    c,
    h,
    w,
    oh: outShape[2]!,
    ow: outShape[3]!,
    kernel: node.kernel,
    strides: node.strides,
    pads: node.pads,
    ceilMode: node.ceilMode,
  };
}

/** Max over each window; padding cells never win. */
export function maxPool2d(x: Float64Array, g: PoolGeometry): Float64Array {
  const t = windowTable(g);
  const out = new Float64Array(t.outputs);
  for (let o = 0; o < t.outputs; o++) {
    let best = Number.NEGATIVE_INFINITY;
    for (let k = o * t.size; k < (o + 1) * t.size; k++) {
      const i = t.indices[k]!;
      if (i >= 0 && x[i]! > best) best = x[i]!;
    }
    out[o] = best;
  }
  return out;
}

/** Mean over each window, counting padding cells in the divisor or not. */
export function avgPool2d(
  x: Float64Array,
  g: PoolGeometry,
  countIncludePad: boolean,
): Float64Array {
  const t = windowTable(g, countIncludePad);
  const out = new Float64Array(t.outputs);
  for (let o = 0; o < t.outputs; o++) {
    let sum = 0;
    for (let k = o * t.size; k < (o + 1) * t.size; k++) {
      const i = t.indices[k]!;
      if (i >= 0) sum += x[i]!;
    }
    out[o] = sum / t.divisors[o]!;
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
