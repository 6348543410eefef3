/**
 * Typed errors of the HE linear layers. Every shape, party or parameter problem is detected
 * before any I/O or any homomorphic work, and says what to change — the HE backend must never
 * hand back a wrong answer from a decryption whose noise silently overflowed.
 */
import { ParameterError } from '@secinfer/mpc-primitives';

/**
 * What went wrong, machine-readable: 'BAD_SHAPE' (HeShapeError), 'PARAMETER_MISMATCH'
 * (HeParameterMismatchError), 'NOISE_BUDGET' (NoiseBudgetError).
 */
export type HeLinearErrorCode = 'BAD_SHAPE' | 'PARAMETER_MISMATCH' | 'NOISE_BUDGET';

/** A bad layer shape, data length, or weights passed by the wrong party. */
export class HeShapeError extends ParameterError<'BAD_SHAPE'> {
  override name = 'HeShapeError';
  constructor(message: string) {
    super(message, 'BAD_SHAPE');
  }
}

/** The two parties' BFV parameters differ; `field` names the one (N, plainModulus, ...). */
export class HeParameterMismatchError extends ParameterError<'PARAMETER_MISMATCH'> {
  override name = 'HeParameterMismatchError';
  constructor(
    readonly field: string,
    readonly ours: string,
    readonly theirs: string,
  ) {
    super(
      `HE parameter '${field}' differs between the parties: ours ${ours}, the peer's ${theirs}; ` +
        `give both parties the same HeParams (heParamsFor(ell) with the same ell)`,
      'PARAMETER_MISMATCH',
    );
  }
}

/**
 * A layer needs more noise budget than the parameters hold (for the computation plus the
 * σ = 40 noise flooding), or a received ciphertext has no budget left to decrypt correctly.
 */
export class NoiseBudgetError extends ParameterError<'NOISE_BUDGET'> {
  override name = 'NoiseBudgetError';
  constructor(message: string) {
    super(message, 'NOISE_BUDGET');
  }
}
