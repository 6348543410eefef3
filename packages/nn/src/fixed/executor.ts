// The cleartext fixed-point executor: the oracle every secure run is compared with, bit for bit.
//
// It computes with exact integers (held in float64, checked to stay below 2^53) and checks every
// value against the range both backends represent without wrapping: |v| ≤ (p − 1)/2 for the
// HE backend's prime p of this ℓ, |v| < 2^(ℓ−1) otherwise. Inside that range the ring Z_2^ℓ,
// the field Z_p and the integers agree, so one oracle serves both backends; outside it the run
// stops with a FixedPointError naming the layer instead of returning a silently wrapped answer.
// Maxima and argmax compare differences, so their inputs must stay within half that range.
import { FIELD_PRIME_32, FIELD_PRIME_37 } from '@secinfer/mpc-primitives';
import { FixedPointError } from '../errors.js';
import { conv2d } from '../kernels/conv.js';
import { addBroadcast, argMax, concat, relu } from '../kernels/elementwise.js';
import { matmulAccumulateBT } from '../kernels/matmul.js';
import { maxPool2d } from '../kernels/pool.js';
import { windowTable } from '../kernels/windows.js';
import { type FloatArray, formatShape, sizeOf } from '../tensor.js';
import type { FixedModel, FixedProgram, FixedStep, StepWeights } from './program.js';

/** The largest |v| both backends hold exactly at bit width ℓ. */
export function fixedPointLimit(ell: number): number {
  if (ell === 32) return (FIELD_PRIME_32 - 1) / 2;
  if (ell === 37) return (FIELD_PRIME_37 - 1) / 2;
  return 2 ** (ell - 1) - 1;
}

/** round(x · 2^s) of a graph input, checked against the range. */
export function quantiseInput(program: FixedProgram, name: string, data: FloatArray): Float64Array {
  const input = program.inputs.find((i) => i.name === name);
  if (!input) throw new FixedPointError(name, 'not an input of this model');
  if (data.length !== sizeOf(input.shape)) {
    throw new FixedPointError(
      name,
      `input has ${data.length} elements, expected shape ${formatShape(input.shape)}`,
    );
  }
  const factor = 2 ** program.scale;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Math.round(data[i]! * factor);
  checkRange(name, out, fixedPointLimit(program.ell), program);
  return out;
}

function maxAbs(x: Float64Array): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
  }
  return m;
}

function checkRange(node: string, x: Float64Array, limit: number, program: FixedProgram): void {
  const m = maxAbs(x);
  if (m > limit) {
    throw new FixedPointError(
      node,
      `a value reaches ${m.toExponential(3)} = 2^${Math.log2(m).toFixed(2)} at scale ${program.scale}, beyond the ±${limit.toExponential(3)} that ℓ = ${program.ell} holds: lower the scale or raise ℓ`,
    );
  }
  if (Number.isNaN(m)) throw new FixedPointError(node, 'a value is not a number');
}

/** max over rows of Σ|w| (+|bias|) times max|x|: a bound on every partial sum of the product. */
function checkExact(step: FixedStep, x: Float64Array, w: StepWeights, rows: number): void {
  const perRow = w.weight.length / rows;
  let worst = 0;
  for (let r = 0; r < rows; r++) {
    let l1 = 0;
    for (let i = r * perRow; i < (r + 1) * perRow; i++) l1 += Math.abs(w.weight[i]!);
    worst = Math.max(worst, l1);
  }
  const biasMax = w.bias ? maxAbs(w.bias) : 0;
  if (worst * maxAbs(x) + biasMax >= 2 ** 53) {
    throw new FixedPointError(
      step.node,
      'products exceed the 2^53 range of exact integer arithmetic: the model cannot fit fixed point at this scale; lower the scale',
    );
  }
}

/** ⌊x / 2^bits⌋ elementwise. */
function floorShift(x: Float64Array, bits: number): Float64Array {
  const d = 2 ** bits;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.floor(x[i]! / d);
  return out;
}

function weightsOf(model: FixedModel, step: FixedStep): StepWeights {
  const w = model.weights.get(step.name);
  if (!w) throw new FixedPointError(step.node, 'the model has no weights for this layer');
  return w;
}

/** Result of one cleartext fixed-point step, pure. */
function runStep(model: FixedModel, step: FixedStep, xs: Float64Array[]): Float64Array {
  const x = xs[0]!;
  switch (step.kind) {
    case 'conv': {
      const w = weightsOf(model, step);
      checkExact(step, x, w, step.geometry.outChannels);
      return conv2d(x, w.weight, w.bias, step.geometry);
    }
    case 'gemm': {
      const w = weightsOf(model, step);
      checkExact(step, x, w, step.n);
      const out = new Float64Array(step.m * step.n);
      if (w.bias) for (let i = 0; i < step.m; i++) out.set(w.bias, i * step.n);
      matmulAccumulateBT(out, 0, x, 0, w.weight, 0, step.m, step.k, step.n);
      return out;
    }
    case 'affine': {
      const { weight: a, bias: b } = weightsOf(model, step);
      const out = new Float64Array(x.length);
      for (let p = 0; p < step.batch * step.channels; p++) {
        const c = p % step.channels;
        for (let i = p * step.inner; i < (p + 1) * step.inner; i++)
          out[i] = a[c]! * x[i]! + (b?.[c] ?? 0);
      }
      return out;
    }
    case 'trunc':
      return floorShift(x, step.bits);
    case 'scaleup':
      return x.map((v) => v * 2 ** step.bits);
    case 'relu':
      return relu(x);
    case 'maxpool':
      return maxPool2d(x, step.geometry);
    case 'avgpool': {
      const t = windowTable(step.geometry, step.countIncludePad);
      const out = new Float64Array(t.outputs);
      for (let o = 0; o < t.outputs; o++) {
        let sum = 0;
        for (let k = 0; k < t.size; k++) {
          const i = t.indices[o * t.size + k]!;
          if (i >= 0) sum += x[i]!;
        }
        out[o] = Math.floor(sum / t.divisors[o]!);
      }
      return out;
    }
    case 'globalavgpool': {
      const out = new Float64Array(step.planes);
      for (let p = 0; p < step.planes; p++) {
        let sum = 0;
        for (let i = p * step.planeSize; i < (p + 1) * step.planeSize; i++) sum += x[i]!;
        out[p] = Math.floor(sum / step.planeSize);
      }
      return out;
    }
    case 'add':
      return addBroadcast(x, step.shapes[0], xs[1]!, step.shapes[1], step.outShape);
    case 'concat':
      return concat(xs, step.shapes, step.axis, step.outShape);
    case 'reshape':
      return x;
    case 'argmax':
      return argMax(x, step.shape, step.axis, step.selectLastIndex);
    case 'constant':
      return weightsOf(model, step).weight;
  }
}

/** Options of a cleartext fixed-point run. */
export interface FixedRunOptions {
  /** Demand this many bits of headroom below the range (calibration uses it for unseen inputs). */
  readonly marginBits?: number;
  /** Receives the largest |value| of each step, in step order. */
  readonly ranges?: { step: string; node: string; maxAbs: number }[];
}

/**
 * Runs a compiled model in cleartext fixed point. Inputs are real numbers (quantised here) by
 * graph input name; outputs are the integers at scale s (argmax outputs: indices). Throws a
 * FixedPointError naming the layer when a value leaves the range both backends hold exactly.
 */
export function runFixedPoint(
  model: FixedModel,
  inputs: Readonly<Record<string, FloatArray>>,
  options: FixedRunOptions = {},
): Record<string, Float64Array> {
  const { program } = model;
  const limit = Math.floor(fixedPointLimit(program.ell) / 2 ** (options.marginBits ?? 0));
  const values = new Map<string, Float64Array>();
  // Free each intermediate after its last reader, so DenseNet-sized models stay small.
  const lastUse = new Map<string, number>();
  program.steps.forEach((step, i) => {
    for (const v of step.inputs) lastUse.set(v, i);
  });
  const keep = new Set(program.outputs.map((o) => o.name));
  for (const input of program.inputs) {
    const data = inputs[input.name];
    if (!data) throw new FixedPointError(input.name, 'no value given for this graph input');
    values.set(input.name, quantiseInput(program, input.name, data));
  }
  program.steps.forEach((step, i) => {
    const xs = step.inputs.map((v) => values.get(v)!);
    if (step.kind === 'maxpool' || step.kind === 'argmax') {
      // The secure maximum compares differences of two inputs, which must not wrap.
      checkRange(step.node, xs[0]!, Math.floor(limit / 2), program);
    }
    const out = runStep(model, step, xs);
    if (step.kind !== 'argmax') checkRange(step.node, out, limit, program);
    options.ranges?.push({ step: step.name, node: step.node, maxAbs: maxAbs(out) });
    values.set(step.output, out);
    for (const v of step.inputs) if (lastUse.get(v) === i && !keep.has(v)) values.delete(v);
  });
  const result: Record<string, Float64Array> = {};
  for (const o of program.outputs) result[o.name] = values.get(o.name)!;
  return result;
}
