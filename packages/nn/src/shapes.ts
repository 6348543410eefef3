// Shape inference: a pure function from a node and its input shapes to its output shape.
// It is also where a node's attributes and weights are checked against its inputs, so every
// consumer of the graph can rely on shapes that were validated once.
import { ModelError } from './errors.js';
import type { ModelNode, Pool2dParams } from './graph.js';
import { formatShape, sizeOf } from './tensor.js';

/** Output height or width of a sliding window (conv or pool). */
export function windowOutputSize(
  input: number,
  kernel: number,
  stride: number,
  padBegin: number,
  padEnd: number,
  dilation: number,
  ceilMode: boolean,
): number {
  const span = input + padBegin + padEnd - dilation * (kernel - 1) - 1;
  if (!ceilMode) return Math.floor(span / stride) + 1;
  let out = Math.ceil(span / stride) + 1;
  // A window must start inside the input or the begin padding (PyTorch and ONNX agree).
  if ((out - 1) * stride >= input + padBegin) out--;
  return out;
}

function positiveInts(node: ModelNode, what: string, values: readonly number[], min: number) {
  for (const v of values) {
    if (!Number.isInteger(v) || v < min) {
      throw new ModelError(node.name, `${what} must be integers >= ${min}, got ${values}`);
    }
  }
}

function expectArity(node: ModelNode, n: number, shapes: readonly (readonly number[])[]) {
  if (shapes.length !== n) {
    throw new ModelError(node.name, `${node.kind} takes ${n} input(s), got ${shapes.length}`);
  }
}

function normaliseAxis(node: ModelNode, axis: number, rank: number, allowEnd: boolean): number {
  const limit = allowEnd ? rank : rank - 1;
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(axis) || a < 0 || a > limit) {
    throw new ModelError(node.name, `axis ${axis} out of range for rank ${rank}`);
  }
  return a;
}

function spatial(node: ModelNode, x: readonly number[]): [number, number, number, number] {
  if (x.length !== 4) {
    throw new ModelError(node.name, `${node.kind} needs an NCHW input, got ${formatShape(x)}`);
  }
  return x as unknown as [number, number, number, number];
}

function poolShape(node: ModelNode & Pool2dParams, x: readonly number[]): number[] {
  const [n, c, h, w] = spatial(node, x);
  positiveInts(node, 'kernel', node.kernel, 1);
  positiveInts(node, 'strides', node.strides, 1);
  positiveInts(node, 'pads', node.pads, 0);
  const [pt, pl, pb, pr] = node.pads;
  if (
    pt >= node.kernel[0] ||
    pb >= node.kernel[0] ||
    pl >= node.kernel[1] ||
    pr >= node.kernel[1]
  ) {
    throw new ModelError(node.name, `pads ${node.pads} must be smaller than kernel ${node.kernel}`);
  }
  const oh = windowOutputSize(h, node.kernel[0], node.strides[0], pt, pb, 1, node.ceilMode);
  const ow = windowOutputSize(w, node.kernel[1], node.strides[1], pl, pr, 1, node.ceilMode);
  if (oh < 1 || ow < 1) {
    throw new ModelError(
      node.name,
      `kernel ${node.kernel} larger than padded input ${formatShape(x)}`,
    );
  }
  return [n, c, oh, ow];
}

function expectVector(node: ModelNode, what: string, shape: readonly number[], length: number) {
  if (shape.length !== 1 || shape[0] !== length) {
    throw new ModelError(
      node.name,
      `${what} must have shape [${length}], got ${formatShape(shape)}`,
    );
  }
}

/** Broadcast two shapes NumPy-style, or undefined if they are incompatible. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * The output shape of `node` given its input shapes; throws a `ModelError` naming the node if
 * the inputs, attributes or weights are inconsistent.
 */
export function inferNodeShape(node: ModelNode, inputs: readonly (readonly number[])[]): number[] {
  switch (node.kind) {
    case 'conv': {
      expectArity(node, 1, inputs);
      const [n, c, h, w] = spatial(node, inputs[0]!);
      const ws = node.weight.shape;
      positiveInts(node, 'group', [node.group], 1);
      positiveInts(node, 'strides', node.strides, 1);
      positiveInts(node, 'dilations', node.dilations, 1);
      positiveInts(node, 'pads', node.pads, 0);
      if (ws.length !== 4)
        throw new ModelError(node.name, `weight must be 4-D, got ${formatShape(ws)}`);
      const [m, cg, kh, kw] = ws as [number, number, number, number];
      if (cg * node.group !== c || m % node.group !== 0) {
        throw new ModelError(
          node.name,
          `weight ${formatShape(ws)} with group ${node.group} does not fit input channels ${c}`,
        );
      }
      if (node.bias) expectVector(node, 'bias', node.bias.shape, m);
      const [pt, pl, pb, pr] = node.pads;
      const oh = windowOutputSize(h, kh, node.strides[0], pt, pb, node.dilations[0], false);
      const ow = windowOutputSize(w, kw, node.strides[1], pl, pr, node.dilations[1], false);
      if (oh < 1 || ow < 1) {
        throw new ModelError(
          node.name,
          `kernel ${kh}x${kw} larger than padded input ${formatShape(inputs[0]!)}`,
        );
      }
      return [n, m, oh, ow];
    }
    case 'gemm': {
      expectArity(node, 1, inputs);
      const x = inputs[0]!;
      const ws = node.weight.shape;
      if (x.length !== 2)
        throw new ModelError(node.name, `gemm needs a 2-D input, got ${formatShape(x)}`);
      if (ws.length !== 2 || ws[1] !== x[1]) {
        throw new ModelError(
          node.name,
          `weight ${formatShape(ws)} does not fit input ${formatShape(x)}`,
        );
      }
      if (node.bias) expectVector(node, 'bias', node.bias.shape, ws[0]!);
      return [x[0]!, ws[0]!];
    }
    case 'batchnorm': {
      expectArity(node, 1, inputs);
      const x = inputs[0]!;
      if (x.length < 2)
        throw new ModelError(node.name, `batchnorm needs a channel axis, got ${formatShape(x)}`);
      for (const [what, t] of [
        ['scale', node.scale],
        ['bias', node.bias],
        ['mean', node.mean],
        ['variance', node.variance],
      ] as const) {
        expectVector(node, what, t.shape, x[1]!);
      }
      if (!(node.epsilon >= 0))
        throw new ModelError(node.name, `epsilon must be >= 0, got ${node.epsilon}`);
      return [...x];
    }
    case 'relu':
      expectArity(node, 1, inputs);
      return [...inputs[0]!];
    case 'maxpool':
      expectArity(node, 1, inputs);
      return poolShape(node, inputs[0]!);
    case 'avgpool':
      expectArity(node, 1, inputs);
      return poolShape(node, inputs[0]!);
    case 'globalavgpool': {
      expectArity(node, 1, inputs);
      const x = inputs[0]!;
      if (x.length < 3)
        throw new ModelError(node.name, `needs spatial axes, got ${formatShape(x)}`);
      return x.map((d, i) => (i < 2 ? d : 1));
    }
    case 'add': {
      expectArity(node, 2, inputs);
      const out = broadcastShapes(inputs[0]!, inputs[1]!);
      if (!out) {
        throw new ModelError(
          node.name,
          `cannot broadcast ${formatShape(inputs[0]!)} with ${formatShape(inputs[1]!)}`,
        );
      }
      return out;
    }
    case 'concat': {
      if (inputs.length < 1) throw new ModelError(node.name, 'concat needs at least one input');
      const first = inputs[0]!;
      const axis = normaliseAxis(node, node.axis, first.length, false);
      const out = [...first];
      for (const s of inputs.slice(1)) {
        if (s.length !== first.length || s.some((d, i) => i !== axis && d !== first[i])) {
          throw new ModelError(
            node.name,
            `inputs ${formatShape(first)} and ${formatShape(s)} differ outside axis ${axis}`,
          );
        }
        out[axis]! += s[axis]!;
      }
      return out;
    }
    case 'flatten': {
      expectArity(node, 1, inputs);
      const x = inputs[0]!;
      const axis = normaliseAxis(node, node.axis, x.length, true);
      return [sizeOf(x.slice(0, axis)), sizeOf(x.slice(axis))];
    }
    case 'reshape': {
      expectArity(node, 1, inputs);
      positiveInts(node, 'shape', node.shape, 0);
      if (sizeOf(node.shape) !== sizeOf(inputs[0]!)) {
        throw new ModelError(
          node.name,
          `cannot reshape ${formatShape(inputs[0]!)} to ${formatShape(node.shape)}`,
        );
      }
      return [...node.shape];
    }
    case 'argmax': {
      expectArity(node, 1, inputs);
      const x = inputs[0]!;
      const axis = normaliseAxis(node, node.axis, x.length, false);
      if (x[axis] === 0) throw new ModelError(node.name, 'argmax over an empty axis');
      return node.keepDims ? x.map((d, i) => (i === axis ? 1 : d)) : x.filter((_, i) => i !== axis);
    }
    case 'constant':
      expectArity(node, 0, inputs);
      if (sizeOf(node.value.shape) !== node.value.data.length) {
        throw new ModelError(
          node.name,
          `value has ${node.value.data.length} elements for shape ${formatShape(node.value.shape)}`,
        );
      }
      return [...node.value.shape];
  }
}
