/**
 * Typed errors of the arithmetic layer. Parameters (bit widths, moduli, vector lengths) are
 * checked before any work, so a bad call fails loudly instead of returning garbage.
 */

/** A bad parameter: a bit width outside 1..64, a modulus out of range, a length mismatch. */
export class ParameterError extends RangeError {
  override name = 'ParameterError';
}
