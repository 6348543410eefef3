/**
 * Typed errors of the HE linear layers. Every shape, party or parameter problem is detected
 * before any I/O or any homomorphic work, and says what to change — the HE backend must never
 * hand back a wrong answer from a decryption whose noise silently overflowed.
 */
import { ParameterError } from '@secinfer/mpc-primitives';

/** A bad layer shape, data length, or weights passed by the wrong party. */
export class HeShapeError extends ParameterError {
  override name = 'HeShapeError';
}

/** The two parties' BFV parameters differ; `field` names the one (N, plainModulus, ...). */
export class HeParameterMismatchError extends ParameterError {
  override name = 'HeParameterMismatchError';
  constructor(
    readonly field: string,
    readonly ours: string,
    readonly theirs: string,
  ) {
    super(
      `HE parameter '${field}' differs between the parties: ours ${ours}, the peer's ${theirs}; ` +
        `give both parties the same HeParams (heParamsFor(ell) with the same ell)`,
    );
  }
}

/**
 * A layer needs more noise budget than the parameters hold (for the computation plus the
 * σ = 40 noise flooding), or a received ciphertext has no budget left to decrypt correctly.
 */
export class NoiseBudgetError extends ParameterError {
  override name = 'NoiseBudgetError';
}
