// The cheap float64 layers: batch norm, ReLU, broadcast add, concat and argmax.
import { sizeOf } from '../tensor.js';

/** (x - mean) / sqrt(variance + epsilon) * scale + bias over axis 1 of an [N, C, ...] tensor. */
export function batchNorm(
  x: Float64Array,
  shape: readonly number[],
  scale: Float64Array,
  bias: Float64Array,
  mean: Float64Array,
  variance: Float64Array,
  epsilon: number,
): Float64Array {
  const c = shape[1]!;
  const inner = sizeOf(shape.slice(2));
  const out = new Float64Array(x.length);
  for (let p = 0; p < x.length / inner; p++) {
    const ch = p % c;
    const mul = scale[ch]! / Math.sqrt(variance[ch]! + epsilon);
    const add = bias[ch]! - mean[ch]! * mul;
    for (let i = p * inner, end = i + inner; i < end; i++) out[i] = x[i]! * mul + add;
  }
  return out;
}

/** max(x, 0) elementwise. */
export function relu(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(x[i]!, 0);
  return out;
}

/** Row-major strides of `shape` as seen from an output of rank `rank`; broadcast axes get 0. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = out.length - shape.length + i;
    strides[axis] = shape[i] === 1 ? 0 : stride;
    stride *= shape[i]!;
  }
  return strides;
}

/** a + b with NumPy broadcasting to `out` (already inferred). */
export function addBroadcast(
  a: Float64Array,
  aShape: readonly number[],
  b: Float64Array,
  bShape: readonly number[],
  out: readonly number[],
): Float64Array {
  const size = sizeOf(out);
  const result = new Float64Array(size);
  if (a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) result[i] = a[i]! + b[i]!;
    return result;
  }
  const sa = broadcastStrides(aShape, out);
  const sb = broadcastStrides(bShape, out);
  const index = new Array<number>(out.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < size; o++) {
    result[o] = a[ia]! + b[ib]!;
    // Odometer increment of the multi-index, moving both source offsets along.
    for (let d = out.length - 1; d >= 0; d--) {
      index[d]!++;
      ia += sa[d]!;
      ib += sb[d]!;
      if (index[d]! < out[d]!) break;
      ia -= sa[d]! * out[d]!;
      ib -= sb[d]! * out[d]!;
      index[d] = 0;
    }
  }
  return result;
}

/** Concatenation of same-rank tensors along `axis` (non-negative). */
export function concat(
  parts: readonly Float64Array[],
  shapes: readonly (readonly number[])[],
  axis: number,
  out: readonly number[],
): Float64Array {
  const outer = sizeOf(out.slice(0, axis));
  const inner = sizeOf(out.slice(axis + 1));
  const result = new Float64Array(sizeOf(out));
  const rowOut = out[axis]! * inner;
  let offset = 0;
  parts.forEach((part, p) => {
    const row = shapes[p]![axis]! * inner;
    for (let o = 0; o < outer; o++) {
      result.set(part.subarray(o * row, (o + 1) * row), o * rowOut + offset);
    }
    offset += row;
  });
  return result;
}

/** Index of the maximum along `axis` (non-negative), first or last on ties. */
export function argMax(
  x: Float64Array,
  shape: readonly number[],
  axis: number,
  selectLastIndex: boolean,
): Float64Array {
  const outer = sizeOf(shape.slice(0, axis));
  const len = shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = 0;
      for (let k = 1; k < len; k++) {
        const v = x[base + k * inner]!;
        const cur = x[base + best * inner]!;
        if (v > cur || (selectLastIndex && v === cur)) best = k;
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}
