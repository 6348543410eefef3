// Weight width: the public signed bit width b ≤ ℓ every conv/gemm/affine weight fits. The OT
// backend needs b OTs per weight instead of ℓ. A width the caller passes (a declared bound,
// public like s) is checked; the default is ℓ, which reveals nothing of the weights — the
// smallest width that fits would reveal ⌈log2 max |w|⌉.
import { FixedPointError } from '../../errors.js';
import type { FixedStep, StepWeights } from '../program.js';

/** Bits of the two's complement of the integer v, sign included (at least 2). */
function signedBits(v: number): number {
  let bits = 2;
  while (v < -(2 ** (bits - 1)) || v >= 2 ** (bits - 1)) bits++;
  return bits;
}

/**
 * The program's weight bit width: `weightBits`, checked against every product weight (a
 * FixedPointError names the first layer that does not fit), or ℓ.
 */
export function checkWeightBits(
  steps: readonly FixedStep[],
  weights: ReadonlyMap<string, StepWeights>,
  { ell, scale, weightBits }: { ell: number; scale: number; weightBits?: number },
): number {
  if (
    weightBits !== undefined &&
    (!Number.isInteger(weightBits) || weightBits < 2 || weightBits > ell)
  )
    throw new FixedPointError(
      '(model)',
      `weightBits must be an integer in 2..${ell}, got ${weightBits}`,
    );
  if (weightBits === undefined) return ell;
  for (const step of steps) {
    if (step.kind !== 'conv' && step.kind !== 'gemm' && step.kind !== 'affine') continue;
    let [lo, hi] = [0, 0];
    for (const w of weights.get(step.name)!.weight) {
      if (w < lo) lo = w;
      else if (w > hi) hi = w;
    }
    const layer = Math.max(signedBits(lo), signedBits(hi));
    if (layer > weightBits)
      throw new FixedPointError(
        step.node,
        `its weights need ${layer} signed bits at scale ${scale}, more than weightBits = ${weightBits}: raise weightBits (at most ℓ = ${ell})`,
      );
  }
  return weightBits;
}
