// The fixed-point compiler: a validated float graph and (ℓ, s) become a FixedModel.
//
// Rules (CrypTFlow2 §6 and its compiler's peepholes), one file each in passes/:
//   - weights and constants are round(v · 2^s), biases round(b · 2^2s) (lowering.ts);
//   - batch norms fold into the conv/gemm before them or move through their ReLU into the
//     conv/gemm after them (batchnorm-folding.ts);
//   - every linear step is followed by one truncation by s (truncation-placement.ts), after
//     the chain of maxpool, reshape and ReLU nodes only it feeds, with the ReLU moved last
//     (relu-maxpool-reordering.ts) and residual adds joined at 2s (residual-scaleup.ts);
//   - the weights' public bit width is checked or chosen (weight-width.ts).
// The passes run interleaved in one walk over the graph in topological order (lowering.ts
// says why); the nodes none of them takes become one step each (direct-steps.ts).
// TruncReduce (truncate into a smaller ring) is not used: every consumer here needs ℓ bits
// again, and a signed extension back costs what the reduction saved.
import { FixedPointError } from '../errors.js';
import type { ValidatedGraph } from '../validate.js';
import { planThroughRelu } from './passes/batchnorm-folding.js';
import { emitDirectStep } from './passes/direct-steps.js';
import { createLowering } from './passes/lowering.js';
import { emitLinear } from './passes/truncation-placement.js';
import { checkWeightBits } from './passes/weight-width.js';
import type { FixedModel, FixedProgram } from './program.js';

/** Bit width and fractional bits of a compiled model. */
export interface FixedPointParams {
  /** Ring bit width ℓ, 2..64 (the HE backend supports 32 and 37). */
  readonly ell: number;
  /** Fractional bits s ≥ 0; 2s + 1 must stay below ℓ. */
  readonly scale: number;
  /**
   * The signed bit width b ≤ ℓ every conv/gemm/affine weight must fit, public like s: the OT
   * backend then needs b OTs per weight instead of ℓ. Default ℓ, which reveals nothing of the
   * weights; a smaller b is a declared bound the server makes public (it reveals that every
   * |w| < 2^(b−1) at scale s, not the narrowest width that fits, ⌈log2 max |w|⌉).
   */
  readonly weightBits?: number;
  /**
   * The same declared bound in real units, whatever the scale: every weight |w| < B, B a power
   * of two, so b = log2 B + s + 1 (at most ℓ). For models whose scale is chosen later (by
   * calibration or `--scale`); give weightBits or weightBound, not both.
   */
  readonly weightBound?: number;
}

/** The weight width the params declare: weightBits, or the one weightBound gives at scale s. */
function declaredWidth({
  ell,
  scale,
  weightBits,
  weightBound,
}: FixedPointParams): number | undefined {
  if (weightBound === undefined) return weightBits;
  const log2 = Math.log2(weightBound);
  if (weightBits !== undefined)
    throw new FixedPointError('(model)', 'give weightBits or weightBound, not both');
  if (!Number.isInteger(log2))
    throw new FixedPointError('(model)', `weightBound must be a power of two, got ${weightBound}`);
  return Math.max(2, Math.min(ell, log2 + scale + 1));
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
  const { graph, order } = model;
  const lowering = createLowering(model, scale);
  const plans = planThroughRelu(order, lowering);
  for (const node of order) {
    if (lowering.done.has(node)) continue;
    lowering.done.add(node);
    if (node.kind === 'conv' || node.kind === 'gemm' || node.kind === 'batchnorm')
      emitLinear(lowering, plans, node);
    else emitDirectStep(lowering, node);
  }
  const { steps, weights, shape } = lowering;
  const program: FixedProgram = {
    ell,
    scale,
    weightBits: checkWeightBits(steps, weights, { ell, scale, weightBits: declaredWidth(params) }),
    inputs: graph.inputs.map((i) => ({ name: i.name, shape: i.shape })),
    outputs: graph.outputs.map((o) => ({ name: o, shape: shape(o) })),
    steps,
  };
  return { program, weights };
}
