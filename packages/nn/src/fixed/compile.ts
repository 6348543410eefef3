// The fixed-point compiler: a validated float graph and (ℓ, s) become a FixedModel.
//
// Rules (CrypTFlow2 §6 and its compiler's peepholes):
//   - weights and constants are round(v · 2^s), biases round(b · 2^2s) (round half up);
//   - a batch norm right after a conv/gemm that nothing else reads is folded into its weights
//     in float64 before quantising; any other batch norm becomes a per-channel affine step;
//   - a batch norm y = a·x + b that feeds, through its ReLU and per-channel pools or a flatten,
//     a single conv/gemm (DenseNet's BN → ReLU → conv) keeps only σ = sign(a) and b/|a|:
//     ReLU(a·x + b) = |a|·ReLU(σ·x + b/|a|), and |a| moves into that layer's input channels.
//     The affine step then multiplies by ±1 at scale 0 and needs no truncation (σ stays a
//     server secret: the step is there whatever the signs);
//   - every linear step is followed by one truncation by s, placed after the chain of ReLU,
//     maxpool and reshape nodes that only it feeds — maxpool and reshape commute with the
//     floor shift, and so does ReLU, so the result is the same integer as truncating first;
//   - in that chain ReLU moves after maxpool (max and ReLU commute; the pool has fewer
//     outputs), and a truncation after a ReLU is the cheaper non-negative one;
//   - the chain may pass a residual add: the other operand joins at 2s (lifted by 2^s, or a
//     second product left untruncated), so a ResNet block ends in one non-negative truncation
//     after its ReLU instead of a signed one per branch (CrypTFlow2 §6.2's peephole).
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
  /**
   * The signed bit width b ≤ ℓ every conv/gemm/affine weight must fit, public like s: the OT
   * backend then needs b OTs per weight instead of ℓ. Default: the smallest b that holds this
   * model's weights (it reveals ⌈log2 max |w|⌉, as s reveals the activations' range); pass ℓ
   * to reveal nothing about the weights.
   */
  readonly weightBits?: number;
}

/** Bits of the two's complement of the integer v, sign included (at least 2). */
function signedBits(v: number): number {
  let bits = 2;
  while (v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1)) bits++;
  return bits;
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

/** A batch norm moved through its ReLU: the per-channel factor |a| its consumer absorbs. */
interface ThroughRelu {
  /** |a| per channel of the batch norm. */
  readonly magnitude: Float64Array;
  /** Values per channel where the consumer reads them (1 after a flatten of pooled planes). */
  readonly inner: number;
}

/**
 * Batch norms that can move through their ReLU, keyed by batch norm name, and the same plans
 * keyed by the conv/gemm that absorbs |a|. A candidate is a batch norm not folded into a
 * preceding layer, with every a ≠ 0, whose output only its ReLU reads, followed by a chain of
 * maxpool / avgpool / global average pool (each commutes with a positive per-channel factor)
 * and at most a flatten to [N, C·inner], ending in one conv (groups 1) or gemm.
 */
function planThroughRelu(
  order: readonly ModelNode[],
  soleReader: (value: string) => ModelNode | undefined,
  shape: (value: string) => readonly number[],
): { byBatchnorm: Map<string, ThroughRelu>; byConsumer: Map<string, ThroughRelu> } {
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
  const producers = new Map(order.map((node) => [node.output, node]));
  /** The node computing `value`, through a batch norm it reads (conv → BN folds). */
  const producerOf = (value: string): ModelNode | undefined => {
    const node = producers.get(value);
    return node?.kind === 'batchnorm' ? producers.get(node.inputs[0]!) : node;
  };
  /** The only node reading `value`, unless the value is also a graph output. */
  const soleReader = (value: string): ModelNode | undefined => {
    const r = readers.get(value);
    return r?.length === 1 && !outputs.has(value) ? r[0] : undefined;
  };

  const steps: FixedStep[] = [];
  const weights = new Map<string, StepWeights>();
  const done = new Set<ModelNode>();
  const shape = (v: string) => shapes.get(v)!;
  // Graph values computed so far at scale s (wide intermediates are named `…@2s`).
  const ready = new Set(graph.inputs.map((i) => i.name));
  const emit = (step: FixedStep) => {
    steps.push(step);
    if (!step.output.includes('@')) ready.add(step.output);
  };

  const throughRelu = planThroughRelu(order, soleReader, shape);

  /**
   * The product step of a conv/gemm/batch norm (with the batch norm it folds), writing the
   * unscaled result at 2s to `<value>@2s`; returns that name and the graph value it stands
   * for. A batch norm moved through its ReLU needs no truncation: returns undefined.
   */
  const emitProduct = (node: Linear): { value: string; wide: string } | undefined => {
    const input = node.inputs[0]!;
    const inShape = shape(input);
    if (node.kind === 'batchnorm' && throughRelu.byBatchnorm.has(node.name)) {
      // σ·x + b/|a| at scale s: no truncation; the consumer's weights carry |a|.
      const { mul, add } = batchnormAffine(node);
      weights.set(node.name, {
        weight: mul.map(Math.sign),
        bias: quantise(
          add.map((b, c) => b / Math.abs(mul[c]!)),
          scale,
        ),
      });
      emit({
        kind: 'affine',
        name: node.name,
        node: node.name,
        inputs: [input],
        output: node.output,
        batch: inShape[0]!,
        channels: inShape[1]!,
        inner: sizeOf(inShape.slice(2)),
      });
      return undefined;
    }
    let bn: Batchnorm | undefined;
    const next = soleReader(node.output);
    if (node.kind !== 'batchnorm' && next?.kind === 'batchnorm') {
      bn = next;
      done.add(bn);
    }
    const value = bn ? bn.output : node.output;
    const wide = `${value}@2s`;
    if (node.kind === 'batchnorm') {
      const { mul, add } = batchnormAffine(node);
      weights.set(node.name, { weight: quantise(mul, scale), bias: quantise(add, 2 * scale) });
      emit({
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
      const { weight: own, bias } = foldedWeights(node, bn);
      const plan = throughRelu.byConsumer.get(node.name);
      // A conv's input channel spans kH·kW weights of a row, a gemm's `inner` features.
      const perChannel = node.kind === 'conv' ? sizeOf(node.weight.shape.slice(2)) : plan?.inner;
      const weight = plan ? scaledInputs(own, node.weight.shape[0]!, perChannel!, plan) : own;
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
          geometry: convGeometryOf(node, inShape, shape(node.output)),
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
    }
    return { value, wide };
  };

  /**
   * A linear step and its truncation, placed after the chain of nodes only its value feeds
   * that commute with the floor shift or can run at 2s: ReLU (moved after maxpool), maxpool,
   * reshape, and a residual add whose other operand is ready at s (lifted by 2^s) or is
   * another product that only this add reads (then left untruncated too) — CrypTFlow2's
   * peephole: one non-negative truncation after the block's ReLU instead of a signed one
   * per branch.
   */
  const emitLinear = (node: Linear) => {
    const product = emitProduct(node);
    if (!product) return;
    let { value, wide: current } = product;
    let relu: ModelNode | undefined;
    for (let r = soleReader(value); r; r = soleReader(value)) {
      if (r.kind === 'relu') relu ??= r;
      else if (r.kind === 'maxpool') {
        const g = poolGeometryOf(r, shape(r.inputs[0]!), shape(r.output));
        emit({ ...stepOf(r, current, `${r.output}@2s`), kind: 'maxpool', geometry: g });
        current = `${r.output}@2s`;
      } else if (r.kind === 'flatten' || r.kind === 'reshape') {
        emit({ ...stepOf(r, current, `${r.output}@2s`), kind: 'reshape' });
        current = `${r.output}@2s`;
      } else if (r.kind === 'add' && !relu) {
        const other = wideOperand(r, value);
        if (!other) break;
        const shapes2 = r.inputs.map(shape) as [number[], number[]];
        const inputs = r.inputs[0] === value ? [current, other] : [other, current];
        emit({
          kind: 'add',
          name: r.name,
          node: r.name,
          inputs,
          output: `${r.output}@2s`,
          shapes: shapes2,
          outShape: shape(r.output),
        });
        current = `${r.output}@2s`;
      } else break;
      done.add(r);
      value = r.output;
    }
    if (relu) {
      emit({ ...stepOf(relu, current, `${value}@2s+`), kind: 'relu' });
      current = `${value}@2s+`;
    }
    emit({
      kind: 'trunc',
      name: `${node.name}.trunc`,
      node: node.name,
      inputs: [current],
      output: value,
      bits: scale,
      nonNegative: relu !== undefined,
    });
  };

  /**
   * The other operand of residual add `add` (whose input `value` is a wide product) at 2s, or
   * undefined: a same-shape value ready at s, lifted by 2^s; or the product of a conv/gemm
   * whose result only this add reads and whose input is ready, emitted now without its
   * truncation.
   */
  const wideOperand = (add: ModelNode, value: string): string | undefined => {
    const name = add.inputs[0] === value ? add.inputs[1]! : add.inputs[0]!;
    const size = sizeOf(shape(add.output));
    if (
      add.inputs[0] === add.inputs[1] ||
      sizeOf(shape(name)) !== size ||
      sizeOf(shape(value)) !== size
    )
      return undefined;
    if (ready.has(name)) {
      const lifted = `${name}@2s`;
      emit({
        kind: 'scaleup',
        name: `${add.name}.scaleup`,
        node: add.name,
        inputs: [name],
        output: lifted,
        bits: scale,
      });
      return lifted;
    }
    const producer = producerOf(name);
    if (
      (producer?.kind === 'conv' || producer?.kind === 'gemm') &&
      !done.has(producer) &&
      ready.has(producer.inputs[0]!)
    ) {
      // emitProduct folds a batch norm that is the product's only reader.
      const bn = soleReader(producer.output);
      const end = bn?.kind === 'batchnorm' ? bn.output : producer.output;
      if (end !== name || soleReader(end) !== add) return undefined;
      done.add(producer);
      const product = emitProduct(producer);
      return product?.wide;
    }
    return undefined;
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
        emit({ ...own, kind: 'relu' });
        break;
      case 'maxpool':
        emit({
          ...own,
          kind: 'maxpool',
          geometry: poolGeometryOf(node, shape(node.inputs[0]!), shape(node.output)),
        });
        break;
      case 'avgpool':
        emit({
          ...own,
          kind: 'avgpool',
          geometry: poolGeometryOf(node, shape(node.inputs[0]!), shape(node.output)),
          countIncludePad: node.countIncludePad,
        });
        break;
      case 'globalavgpool': {
        const s = shape(node.inputs[0]!);
        emit({
          ...own,
          kind: 'globalavgpool',
          planes: s[0]! * s[1]!,
          planeSize: sizeOf(s.slice(2)),
        });
        break;
      }
      case 'add':
        emit({
          ...own,
          kind: 'add',
          shapes: [shape(node.inputs[0]!), shape(node.inputs[1]!)],
          outShape: shape(node.output),
        });
        break;
      case 'concat': {
        const rank = shape(node.inputs[0]!).length;
        emit({
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
        emit({ ...own, kind: 'reshape' });
        break;
      case 'argmax': {
        const s = shape(node.inputs[0]!);
        emit({
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
        emit({ ...own, kind: 'constant', size: node.value.data.length });
        break;
    }
  }
  const weightBits = checkWeightBits(steps, weights, params);
  const program: FixedProgram = {
    ell,
    scale,
    weightBits,
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: i.shape })),
    outputs: graph.outputs.map((o) => ({ name: o, shape: shape(o) })),
    steps,
  };
  return { program, weights };
}

/**
 * The program's weight bit width: params.weightBits, checked against every product weight
 * (a FixedPointError names the first layer that does not fit), or the smallest that fits.
 */
function checkWeightBits(
  steps: readonly FixedStep[],
  weights: ReadonlyMap<string, StepWeights>,
  { ell, scale, weightBits }: FixedPointParams,
): number {
  if (
    weightBits !== undefined &&
    (!Number.isInteger(weightBits) || weightBits < 2 || weightBits > ell)
  )
    throw new FixedPointError(
      '(model)',
      `weightBits must be an integer in 2..${ell}, got ${weightBits}`,
    );
  let needed = 2;
  for (const step of steps) {
    if (step.kind !== 'conv' && step.kind !== 'gemm' && step.kind !== 'affine') continue;
    let [lo, hi] = [0, 0];
    for (const w of weights.get(step.name)!.weight) {
      if (w < lo) lo = w;
      else if (w > hi) hi = w;
    }
    const layer = Math.max(signedBits(lo), signedBits(hi));
    if (weightBits !== undefined && layer > weightBits)
      throw new FixedPointError(
        step.node,
        `its weights need ${layer} signed bits at scale ${scale}, more than weightBits = ${weightBits}: raise weightBits (at most ℓ = ${ell})`,
      );
    needed = Math.max(needed, layer);
  }
  return weightBits ?? Math.min(needed, ell);
}

function stepOf(node: ModelNode, input: string, output: string) {
  return { name: node.name, node: node.name, inputs: [input], output };
}
