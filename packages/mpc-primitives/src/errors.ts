/**
 * Typed errors of the arithmetic layer. Parameters (bit widths, moduli, vector lengths) are
 * checked before any work, so a bad call fails loudly instead of returning garbage.
 */

/** What went wrong, machine-readable: every parameter error of this package is 'BAD_PARAMETER'. */
export type ParameterErrorCode = 'BAD_PARAMETER';

/**
 * A bad parameter: a bit width outside 1..64, a modulus out of range, a length mismatch.
 * Layers above narrow it (`Code`) with codes of their own.
 */
export class ParameterError<Code extends string = ParameterErrorCode> extends RangeError {
  override name = 'ParameterError';
  readonly code: Code;
  /** `code` defaults to 'BAD_PARAMETER'; a subclass passes its own. */
  constructor(message: string, code?: Code) {
    super(message);
    this.code = code ?? ('BAD_PARAMETER' as Code);
  }
}
