// Batch-norm folding and the product steps. A batch norm right after a conv/gemm that nothing
// else reads is folded into its weights in float64 before quantising; a batch norm
// y = a·x + b that feeds, through its ReLU and per-channel pools or a flatten, a single
// conv/gemm (DenseNet's BN → ReLU → conv) keeps only σ = sign(a) and b/|a|:
// ReLU(a·x + b) = |a|·ReLU(σ·x + b/|a|), and |a| moves into that layer's input channels. The
// affine step then multiplies by ±1 at scale 0 and needs no truncation (σ stays a server
// secret: the step is there whatever the signs). Any other batch norm is a per-channel affine
// step at 2s.
import type { ModelNode } from '../../graph.js';
import { convLayerOf } from '../../kernels/conv.js';
import { type FloatArray, sizeOf } from '../../tensor.js';
import { type Lowering, quantise } from './lowering.js';

/** The graph nodes that make a product step. */
export type Linear = Extract<ModelNode, { kind: 'conv' | 'gemm' | 'batchnorm' }>;
type Batchnorm = Extract<ModelNode, { kind: 'batchnorm' }>;

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

/** A batch norm moved through its ReLU: the per-channel factor |a| its consumer absorbs. */
interface ThroughRelu {
  /** |a| per channel of the batch norm. */
  readonly magnitude: Float64Array;
  /** Values per channel where the consumer reads them (1 after a flatten of pooled planes). */
  readonly inner: number;
}

/** The through-ReLU plans, keyed by batch norm name and by the conv/gemm that absorbs |a|. */
export interface ThroughReluPlans {
  readonly byBatchnorm: ReadonlyMap<string, ThroughRelu>;
  readonly byConsumer: ReadonlyMap<string, ThroughRelu>;
}

/**
 * Batch norms that can move through their ReLU. A candidate is a batch norm not folded into a
 * preceding layer, with every a ≠ 0, whose output only its ReLU reads, followed by a chain of
 * maxpool / avgpool / global average pool (each commutes with a positive per-channel factor)
 * and at most a flatten to [N, C·inner], ending in one conv (groups 1) or gemm.
 */
export function planThroughRelu(
  order: readonly ModelNode[],
  { soleReader, shape }: Pick<Lowering, 'soleReader' | 'shape'>,
): ThroughReluPlans {
  const byBatchnorm = new Map<string, ThroughRelu>();
  const byConsumer = new Map<string, ThroughRelu>();
  const producer = new Map<string, ModelNode>();
  for (const node of order) producer.set(node.output, node);
  for (const bn of order) {
    if (bn.kind !== 'batchnorm') continue;
    const before = producer.get(bn.inputs[0]!);
    if ((before?.kind === 'conv' || before?.kind === 'gemm') && soleReader(before.output) === bn)
      continue;
    const relu = soleReader(bn.output);
    if (relu?.kind !== 'relu') continue;
    let inner = 1;
    let flattened = false;
    let next = soleReader(relu.output);
    while (
      next &&
      ['maxpool', 'avgpool', 'globalavgpool', 'flatten', 'reshape'].includes(next.kind)
    ) {
      if (next.kind === 'flatten' || next.kind === 'reshape') {
        const from = shape(next.inputs[0]!);
        const to = shape(next.output);
        if (flattened || to.length !== 2 || to[0] !== from[0]) break;
        inner = sizeOf(from.slice(2));
        flattened = true;
      }
      next = soleReader(next.output);
    }
    const fits =
      (next?.kind === 'conv' && next.group === 1 && !flattened) ||
      (next?.kind === 'gemm' && (flattened || shape(next.inputs[0]!).length === 2));
    if (!next || !fits) continue;
    const magnitude = batchnormAffine(bn).mul.map(Math.abs);
    if (!magnitude.every((m) => m > 0 && Number.isFinite(m))) continue;
    const plan = { magnitude, inner };
    byBatchnorm.set(bn.name, plan);
    byConsumer.set(next.name, plan);
  }
  return { byBatchnorm, byConsumer };
}

/** `weight` (rows = outputs) with input channel c of every row scaled by plan.magnitude[c]. */
function scaledInputs(
  weight: FloatArray,
  rows: number,
  perChannel: number,
  plan: ThroughRelu,
): Float64Array {
  const out = Float64Array.from(weight);
  const perRow = weight.length / rows;
  for (let i = 0; i < out.length; i++) {
    const c = Math.floor((i % perRow) / perChannel);
    out[i] = out[i]! * plan.magnitude[c]!;
  }
  return out;
}

/**
 * Emits the product step of a conv/gemm/batch norm (with the batch norm it folds), writing the
 * unscaled result at 2s to `<value>@2s`; returns that name and the graph value it stands for.
 * A batch norm moved through its ReLU needs no truncation: returns undefined.
 */
export function emitProduct(
  lowering: Lowering,
  plans: ThroughReluPlans,
  node: Linear,
): { value: string; wide: string } | undefined {
  const { scale, shape, weights, emit } = lowering;
  const input = node.inputs[0]!;
  const inShape = shape(input);
  const affine = { name: node.name, node: node.name, inputs: [input] };
  const perChannel = {
    batch: inShape[0]!,
    channels: inShape[1]!,
    inner: sizeOf(inShape.slice(2)),
  };
  if (node.kind === 'batchnorm' && plans.byBatchnorm.has(node.name)) {
    // σ·x + b/|a| at scale s: no truncation; the consumer's weights carry |a|.
    const { mul, add } = batchnormAffine(node);
    weights.set(node.name, {
      weight: mul.map(Math.sign),
      bias: quantise(
        add.map((b, c) => b / Math.abs(mul[c]!)),
        scale,
      ),
    });
    emit({ kind: 'affine', ...affine, output: node.output, ...perChannel });
    return undefined;
  }
  let bn: Batchnorm | undefined;
  const next = lowering.soleReader(node.output);
  if (node.kind !== 'batchnorm' && next?.kind === 'batchnorm') {
    bn = next;
    lowering.done.add(bn);
  }
  const value = bn ? bn.output : node.output;
  const wide = `${value}@2s`;
  if (node.kind === 'batchnorm') {
    const { mul, add } = batchnormAffine(node);
    weights.set(node.name, { weight: quantise(mul, scale), bias: quantise(add, 2 * scale) });
    emit({ kind: 'affine', ...affine, output: wide, ...perChannel });
    return { value, wide };
  }
  const { weight: own, bias } = foldedWeights(node, bn);
  const plan = plans.byConsumer.get(node.name);
  // A conv's input channel spans kH·kW weights of a row, a gemm's `inner` features.
  const channelSpan = node.kind === 'conv' ? sizeOf(node.weight.shape.slice(2)) : plan?.inner;
  const weight = plan ? scaledInputs(own, node.weight.shape[0]!, channelSpan!, plan) : own;
  weights.set(node.name, {
    weight: quantise(weight, scale),
    bias: bias && quantise(bias, 2 * scale),
  });
  const base = { name: node.name, node: node.name, inputs: [input], output: wide };
  if (node.kind === 'conv') {
    emit({
      ...base,
      kind: 'conv',
      hasBias: bias !== undefined,
      geometry: convLayerOf(node, inShape),
    });
  } else {
    emit({
      ...base,
      kind: 'gemm',
      hasBias: bias !== undefined,
      m: inShape[0]!,
      k: inShape[1]!,
      n: node.weight.shape[0]!,
    });
  }
  return { value, wide };
}
