// Scale autotuning: the largest scale s at which the model, run in cleartext fixed point on the
// calibration inputs, keeps every value `marginBits` below the range ℓ holds. Larger s means
// more precision; the margin leaves room for inputs a little beyond the calibration set. When
// no scale fits, the error names the layer that overflowed at the smallest scale tried — the
// question users of the C++ system could not answer ("which layer needs the bits?").
import { FixedPointError } from '../errors.js';
import type { FloatArray } from '../tensor.js';
import type { ValidatedGraph } from '../validate.js';
import { compileFixedPoint } from './compile.js';
import { runFixedPoint } from './executor.js';
import type { FixedModel } from './program.js';

/** Options of `chooseScale`. */
export interface CalibrationOptions {
  /** Ring bit width ℓ. */
  readonly ell: number;
  /** Bits of headroom every value must keep on the calibration inputs (default 1). */
  readonly marginBits?: number;
  /** Smallest acceptable scale (default 4: below it most models lose their accuracy). */
  readonly minScale?: number;
  /** Largest scale tried (default ⌊(ℓ − 2) / 2⌋, the most a product leaves room for). */
  readonly maxScale?: number;
  /** A declared public bound on |w| in real units (FixedPointParams.weightBound); default none (b = ℓ). */
  readonly weightBound?: number;
}

/** The chosen scale and the model compiled at it. */
export interface Calibration {
  readonly scale: number;
  readonly model: FixedModel;
}

/**
 * Tries s = maxScale, maxScale − 1, … and returns the first at which every calibration input
 * runs with the margin. Throws a FixedPointError naming the overflowing layer if even
 * `minScale` does not fit.
 */
export function chooseScale(
  graph: ValidatedGraph,
  calibration: readonly Readonly<Record<string, FloatArray>>[],
  options: CalibrationOptions,
): Calibration {
  const { ell, marginBits = 1, minScale = 4 } = options;
  const maxScale = options.maxScale ?? Math.floor((ell - 2) / 2);
  if (calibration.length === 0) throw new FixedPointError('(model)', 'no calibration inputs given');
  let failure: FixedPointError | undefined;
  for (let scale = maxScale; scale >= minScale; scale--) {
    const model = compileFixedPoint(graph, { ell, scale, weightBound: options.weightBound });
    try {
      for (const inputs of calibration) runFixedPoint(model, inputs, { marginBits });
      return { scale, model };
    } catch (e) {
      if (!(e instanceof FixedPointError)) throw e;
      failure = e;
    }
  }
  throw new FixedPointError(
    failure?.node ?? '(model)',
    `no scale from ${maxScale} down to ${minScale} fits ℓ = ${ell} with ${marginBits} bit(s) of margin; at scale ${minScale}: ${failure?.reason ?? 'no scale tried'}. Use a larger ℓ (37) or rescale this layer's weights`,
  );
}
