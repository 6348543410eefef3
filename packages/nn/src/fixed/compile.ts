// The fixed-point compiler: a validated float graph and (ℓ, s) become a FixedModel.
//
// Rules (CrypTFlow2 §6 and its compiler's peepholes):
//   - weights and constants are round(v · 2^s), biases round(b · 2^2s) (round half up);
//   - a batch norm right after a conv/gemm that nothing else reads is folded into its weights
//     in float64 before quantising; any other batch norm becomes a per-channel affine step;
//   - every linear step is followed by one truncation by s, placed after the chain of ReLU,
//     maxpool and reshape nodes that only it feeds — maxpool and reshape commute with the
//     floor shift, and so does ReLU, so the result is the same integer as truncating first;
//   - in that chain ReLU moves after maxpool (max and ReLU commute; the pool has fewer
//     outputs), and a truncation after a ReLU is the cheaper non-negative one.
// TruncReduce (truncate into a smaller ring) is not used: every consumer here needs ℓ bits
// again, and a signed extension back costs what the reduction saved.
import { FixedPointError } from '../errors.js';
import type { ModelNode } from '../graph.js';
import { convGeometryOf } from '../kernels/conv.js';
import { poolGeometryOf } from '../kernels/pool.js';
import { type FloatArray, sizeOf } from '../tensor.js';
import type { ValidatedGraph } from '../validate.js';
import type { FixedModel, FixedProgram, FixedStep, StepWeights } from './program.js';

/** Bit width and fractional bits of a compiled model. */
export interface FixedPointParams {
  /** Ring bit width ℓ, 2..64 (the HE backend supports 32 and 37). */
  readonly ell: number;
  /** Fractional bits s ≥ 0; 2s + 1 must stay below ℓ. */
  readonly scale: number;
}

type Linear = Extract<ModelNode, { kind: 'conv' | 'gemm' | 'batchnorm' }>;
type Batchnorm = Extract<ModelNode, { kind: 'batchnorm' }>;

function quantise(values: FloatArray, bits: number): Float64Array {
  const factor = 2 ** bits;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(values[i]! * factor);
  return out;
}

/** Per-channel multiplier and offset of an inference batch norm. */
function batchnormAffine(bn: Batchnorm): { mul: Float64Array; add: Float64Array } {
  const c = bn.scale.data.length;
  const mul = new Float64Array(c);
  const add = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    mul[i] = bn.scale.data[i]! / Math.sqrt(bn.variance.data[i]! + bn.epsilon);
    add[i] = bn.bias.data[i]! - bn.mean.data[i]! * mul[i]!;
  }
  return { mul, add };
}

/** Weights (rows = output channels) and bias of `node` with a following batch norm folded in. */
function foldedWeights(
  node: Extract<Linear, { kind: 'conv' | 'gemm' }>,
  bn: Batchnorm | undefined,
): { weight: FloatArray; bias: FloatArray | undefined } {
  if (!bn) return { weight: node.weight.data, bias: node.bias?.data };
  const { mul, add } = batchnormAffine(bn);
  const rows = node.weight.shape[0]!;
  const perRow = node.weight.data.length / rows;
  const weight = new Float64Array(node.weight.data.length);
  const bias = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let i = r * perRow; i < (r + 1) * perRow; i++) weight[i] = node.weight.data[i]! * mul[r]!;
    bias[r] = (node.bias?.data[r] ?? 0) * mul[r]! + add[r]!;
  }
  return { weight, bias };
}

/**
 * Compiles a validated graph to fixed point with bit width ℓ and scale s. Pure; throws a
 * FixedPointError when (ℓ, s) cannot hold a product (2s + 1 ≥ ℓ).
 */
export function compileFixedPoint(model: ValidatedGraph, params: FixedPointParams): FixedModel {
  const { ell, scale } = params;
  if (!Number.isInteger(ell) || ell < 2 || ell > 64)
    throw new FixedPointError('(model)', `bit width ℓ must be an integer in 2..64, got ${ell}`);
  if (!Number.isInteger(scale) || scale < 0 || 2 * scale + 1 >= ell) {
    throw new FixedPointError(
      '(model)',
      `scale s = ${scale} does not fit ℓ = ${ell}: products carry 2s fractional bits, so s must be an integer with 2s + 1 < ℓ`,
    );
  }
  const { graph, order, shapes } = model;
  const outputs = new Set(graph.outputs);
  const readers = new Map<string, ModelNode[]>();
  for (const node of order) {
    for (const v of node.inputs) readers.set(v, [...(readers.get(v) ?? []), node]);
  }
  /** The only node reading `value`, unless the value is also a graph output. */
  const soleReader = (value: string): ModelNode | undefined => {
    const r = readers.get(value);
    return r?.length === 1 && !outputs.has(value) ? r[0] : undefined;
  };

  const steps: FixedStep[] = [];
  const weights = new Map<string, StepWeights>();
  const done = new Set<ModelNode>();
  const shape = (v: string) => shapes.get(v)!;

  const emitLinear = (node: Linear) => {
    const input = node.inputs[0]!;
    const inShape = shape(input);
    let bn: Batchnorm | undefined;
    const next = soleReader(node.output);
    if (node.kind !== 'batchnorm' && next?.kind === 'batchnorm') {
      bn = next;
      done.add(bn);
    }
    let value = bn ? bn.output : node.output;
    const wide = `${value}@2s`;
    if (node.kind === 'batchnorm') {
      const { mul, add } = batchnormAffine(node);
      weights.set(node.name, { weight: quantise(mul, scale), bias: quantise(add, 2 * scale) });
      steps.push({
        kind: 'affine',
        name: node.name,
        node: node.name,
        inputs: [input],
        output: wide,
        batch: inShape[0]!,
        channels: inShape[1]!,
        inner: sizeOf(inShape.slice(2)),
      });
    } else {
      const { weight, bias } = foldedWeights(node, bn);
      weights.set(node.name, {
        weight: quantise(weight, scale),
        bias: bias && quantise(bias, 2 * scale),
      });
      const base = { name: node.name, node: node.name, inputs: [input], output: wide };
      if (node.kind === 'conv') {
        steps.push({
          ...base,
          kind: 'conv',
          hasBias: bias !== undefined,
          geometry: convGeometryOf(node, inShape, shape(node.output)),
        });
      } else {
        steps.push({
          ...base,
          kind: 'gemm',
          hasBias: bias !== undefined,
          m: inShape[0]!,
          k: inShape[1]!,
          n: node.weight.shape[0]!,
        });
      }
    }
    // The chain of ReLU / maxpool / reshape only this value feeds runs at scale 2s.
    let current = wide;
    let relu: ModelNode | undefined;
    for (let r = soleReader(value); r; r = soleReader(value)) {
      if (r.kind === 'relu') relu ??= r;
      else if (r.kind === 'maxpool') {
        const g = poolGeometryOf(r, shape(r.inputs[0]!), shape(r.output));
        steps.push({ ...stepOf(r, current, `${r.output}@2s`), kind: 'maxpool', geometry: g });
        current = `${r.output}@2s`;
      } else if (r.kind === 'flatten' || r.kind === 'reshape') {
        steps.push({ ...stepOf(r, current, `${r.output}@2s`), kind: 'reshape' });
        current = `${r.output}@2s`;
      } else break;
      done.add(r);
      value = r.output;
    }
    if (relu) {
      steps.push({ ...stepOf(relu, current, `${value}@2s+`), kind: 'relu' });
      current = `${value}@2s+`;
    }
    steps.push({
      kind: 'trunc',
      name: `${node.name}.trunc`,
      node: node.name,
      inputs: [current],
      output: value,
      bits: scale,
      nonNegative: relu !== undefined,
    });
  };

  for (const node of order) {
    if (done.has(node)) continue;
    done.add(node);
    const own = { name: node.name, node: node.name, inputs: node.inputs, output: node.output };
    switch (node.kind) {
      case 'conv':
      case 'gemm':
      case 'batchnorm':
        emitLinear(node);
        break;
      case 'relu':
        steps.push({ ...own, kind: 'relu' });
        break;
      case 'maxpool':
        steps.push({
          ...own,
          kind: 'maxpool',
          geometry: poolGeometryOf(node, shape(node.inputs[0]!), shape(node.output)),
        });
        break;
      case 'avgpool':
        steps.push({
          ...own,
          kind: 'avgpool',
          geometry: poolGeometryOf(node, shape(node.inputs[0]!), shape(node.output)),
          countIncludePad: node.countIncludePad,
        });
        break;
      case 'globalavgpool': {
        const s = shape(node.inputs[0]!);
        steps.push({
          ...own,
          kind: 'globalavgpool',
          planes: s[0]! * s[1]!,
          planeSize: sizeOf(s.slice(2)),
        });
        break;
      }
      case 'add':
        steps.push({
          ...own,
          kind: 'add',
          shapes: [shape(node.inputs[0]!), shape(node.inputs[1]!)],
          outShape: shape(node.output),
        });
        break;
      case 'concat': {
        const rank = shape(node.inputs[0]!).length;
        steps.push({
          ...own,
          kind: 'concat',
          axis: node.axis < 0 ? node.axis + rank : node.axis,
          shapes: node.inputs.map(shape),
          outShape: shape(node.output),
        });
        break;
      }
      case 'flatten':
      case 'reshape':
        steps.push({ ...own, kind: 'reshape' });
        break;
      case 'argmax': {
        const s = shape(node.inputs[0]!);
        steps.push({
          ...own,
          kind: 'argmax',
          shape: s,
          axis: node.axis < 0 ? node.axis + s.length : node.axis,
          selectLastIndex: node.selectLastIndex,
        });
        break;
      }
      case 'constant':
        weights.set(node.name, { weight: quantise(node.value.data, scale) });
        steps.push({ ...own, kind: 'constant', size: node.value.data.length });
        break;
    }
  }
  const program: FixedProgram = {
    ell,
    scale,
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: i.shape })),
    outputs: graph.outputs.map((o) => ({ name: o, shape: shape(o) })),
    steps,
  };
  return { program, weights };
}

function stepOf(node: ModelNode, input: string, output: string) {
  return { name: node.name, node: node.name, inputs: [input], output };
}
