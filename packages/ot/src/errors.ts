/**
 * The package's typed error. Bad parameters are rejected with an `OtError` before any I/O;
 * disagreements between the two parties surface as the transport's `UnexpectedLengthError`,
 * because every receive names the exact length it expects.
 */

/** What went wrong, machine-readable. */
export type OtErrorCode =
  | 'BAD_WIDTH'
  | 'BAD_COUNT'
  | 'BAD_LENGTH'
  | 'BAD_CHOICE'
  | 'BAD_N'
  /** An extension's in-flight column window exceeds the channel's receive high-water mark. */
  | 'WINDOW_EXCEEDS_BUFFER';

/** A parameter error raised before any message is sent. */
export class OtError extends Error {
  override readonly name = 'OtError';
  constructor(
    readonly code: OtErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function requireCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new OtError('BAD_COUNT', `${what}: n=${n} is not a count`);
}

export function requireLength(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    throw new OtError('BAD_LENGTH', `${what}: length ${actual}, expected ${expected}`);
  }
}

export function requireWidth(ell: number, max: number, what: string): void {
  if (!Number.isInteger(ell) || ell < 1 || ell > max) {
    throw new OtError('BAD_WIDTH', `${what}: width ${ell} is outside 1..${max}`);
  }
}

/** Choice bits are one byte per OT holding 0 or 1 (or < 2^m for 1-out-of-2^m). */
export function requireChoices(choices: Uint8Array, limit: number, what: string): void {
  for (let i = 0; i < choices.length; i++) {
    if (choices[i]! >= limit) {
      throw new OtError('BAD_CHOICE', `${what}: choice[${i}]=${choices[i]} is not below ${limit}`);
    }
  }
}
