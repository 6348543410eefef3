// The float reference executor: runs a validated graph in float64, node by node in topological
// order. It is the oracle the fixed-point conversion will be measured against, so it favours
// precision (float64 accumulation throughout) over speed, while staying fast enough
// (im2col + blocked matmul) for ResNet50 and DenseNet121 to run in seconds.
import { ModelError } from './errors.js';
import type { ModelNode } from './graph.js';
import { conv2d, convLayerOf } from './kernels/conv.js';
import { addBroadcast, argMax, batchNorm, concat, relu } from './kernels/elementwise.js';
import { matmulAccumulateBT } from './kernels/matmul.js';
import { avgPool2d, globalAvgPool, maxPool2d, poolGeometryOf } from './kernels/pool.js';
import { type FloatArray, formatShape, sizeOf, type Tensor } from './tensor.js';
import type { ValidatedGraph } from './validate.js';

// Weights are converted to float64 once per tensor, not once per run.
const float64Cache = new WeakMap<FloatArray, Float64Array>();
function asFloat64(data: FloatArray): Float64Array {
  if (data instanceof Float64Array) return data;
  let cached = float64Cache.get(data);
  if (!cached) {
    cached = Float64Array.from(data);
    float64Cache.set(data, cached);
  }
  return cached;
}

function optional(t: Tensor | undefined): Float64Array | undefined {
  return t ? asFloat64(t.data) : undefined;
}

/** y[m, n] = x[m, k] · w[n, k]^T + bias[n]. */
function gemm(
  x: Float64Array,
  w: Float64Array,
  bias: Float64Array | undefined,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const out = new Float64Array(m * n);
  if (bias) for (let i = 0; i < m; i++) out.set(bias, i * n);
  matmulAccumulateBT(out, 0, x, 0, w, 0, m, k, n);
  return out;
}

function runNode(
  node: ModelNode,
  xs: readonly Float64Array[],
  inShapes: readonly (readonly number[])[],
  out: readonly number[],
): Float64Array {
  const x = xs[0]!;
  const s = inShapes[0]!;
  switch (node.kind) {
    case 'conv':
      return conv2d(x, asFloat64(node.weight.data), optional(node.bias), convLayerOf(node, s));
    case 'gemm':
      return gemm(x, asFloat64(node.weight.data), optional(node.bias), s[0]!, s[1]!, out[1]!);
    case 'batchnorm':
      return batchNorm(
        x,
        s,
        asFloat64(node.scale.data),
        asFloat64(node.bias.data),
        asFloat64(node.mean.data),
        asFloat64(node.variance.data),
        node.epsilon,
      );
    case 'relu':
      return relu(x);
    case 'maxpool':
      return maxPool2d(x, poolGeometryOf(node, s, out));
    case 'avgpool':
      return avgPool2d(x, poolGeometryOf(node, s, out), node.countIncludePad);
    case 'globalavgpool':
      return globalAvgPool(x, s[0]! * s[1]!, sizeOf(s.slice(2)));
    case 'add':
      return addBroadcast(x, s, xs[1]!, inShapes[1]!, out);
    case 'concat':
      return concat(xs, inShapes, node.axis < 0 ? node.axis + s.length : node.axis, out);
    case 'flatten':
    case 'reshape':
      return x;
    case 'argmax':
      return argMax(x, s, node.axis < 0 ? node.axis + s.length : node.axis, node.selectLastIndex);
    case 'constant':
      return asFloat64(node.value.data);
  }
}

/** Per-node wall time of one run, in milliseconds, in execution order. */
export type NodeTimings = { node: string; kind: ModelNode['kind']; ms: number }[];

/**
 * Runs the graph in float64 on the given inputs (by graph input name) and returns every graph
 * output as a float64 tensor. Pass `timings` to collect per-node wall time.
 */
export function runFloat(
  model: ValidatedGraph,
  inputs: Readonly<Record<string, FloatArray>>,
  timings?: NodeTimings,
): Record<string, Tensor & { data: Float64Array }> {
  const { graph, order, shapes } = model;
  const values = new Map<string, Float64Array>();
  for (const input of graph.inputs) {
    const data = inputs[input.name];
    if (!data) throw new ModelError(input.name, 'no value given for this graph input');
    if (data.length !== sizeOf(input.shape)) {
      throw new ModelError(
        input.name,
        `input has ${data.length} elements, expected shape ${formatShape(input.shape)}`,
      );
    }
    values.set(input.name, data instanceof Float64Array ? data : Float64Array.from(data));
  }
  // Free each intermediate after its last reader so DenseNet-sized graphs stay small in memory.
  const lastUse = new Map<string, number>();
  order.forEach((node, i) => {
    for (const v of node.inputs) lastUse.set(v, i);
  });
  const keep = new Set(graph.outputs);
  order.forEach((node, i) => {
    const start = timings ? performance.now() : 0;
    const inShapes = node.inputs.map((v) => shapes.get(v)!);
    const result = runNode(
      node,
      node.inputs.map((v) => values.get(v)!),
      inShapes,
      shapes.get(node.output)!,
    );
    values.set(node.output, result);
    for (const v of node.inputs) if (lastUse.get(v) === i && !keep.has(v)) values.delete(v);
    if (timings) timings.push({ node: node.name, kind: node.kind, ms: performance.now() - start });
  });
  const result: Record<string, Tensor & { data: Float64Array }> = {};
  for (const o of graph.outputs) result[o] = { shape: shapes.get(o)!, data: values.get(o)! };
  return result;
}
