/**
 * The package's typed error. Every layer checks its description against the data it is given
 * (lengths, the weights' presence on the right party, ℓ, canonical values) before any message
 * is sent, so a mismatch fails at once with what and where instead of desynchronising the
 * channel.
 */

/** What went wrong, machine-readable. */
export type OtLinearErrorCode =
  | 'BAD_SHAPE'
  | 'BAD_LENGTH'
  | 'BAD_WIDTH'
  | 'BAD_WEIGHTS'
  | 'NOT_CANONICAL';

/** A parameter error raised before any I/O. */
export class OtLinearError extends Error {
  override readonly name = 'OtLinearError';
  constructor(
    readonly code: OtLinearErrorCode,
    message: string,
  ) {
    super(message);
  }
}
