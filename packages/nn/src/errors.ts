// Typed errors of the nn package: a malformed graph names the node at fault, a rejected ONNX
// file names the operator and node, so a user can fix their model instead of guessing.
// Each class carries one stable `code` (NnErrorCode) for programs that branch on the failure.

/**
 * What went wrong, machine-readable: 'MODEL_INVALID' (ModelError), 'ONNX_IMPORT'
 * (OnnxImportError), 'FIXED_POINT_RANGE' (FixedPointError), 'SESSION_MISMATCH' (SessionError),
 * 'BACKEND_UNAVAILABLE' (BackendUnavailableError).
 */
export type NnErrorCode =
  | 'MODEL_INVALID'
  | 'ONNX_IMPORT'
  | 'FIXED_POINT_RANGE'
  | 'SESSION_MISMATCH'
  | 'BACKEND_UNAVAILABLE';

/** A model graph is malformed: `node` names the node (or graph input) at fault. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code = 'MODEL_INVALID' as const satisfies NnErrorCode;
  constructor(
    readonly node: string,
    readonly reason: string,
  ) {
    super(`node '${node}': ${reason}`);
  }
}

/** An ONNX file is malformed or uses an operator/attribute this package does not support. */
export class OnnxImportError extends Error {
  override readonly name = 'OnnxImportError';
  readonly code = 'ONNX_IMPORT' as const satisfies NnErrorCode;
  constructor(
    readonly node: string | undefined,
    readonly opType: string | undefined,
    readonly reason: string,
  ) {
    super(
      node === undefined && opType === undefined
        ? reason
        : `${opType ?? '?'} node '${node ?? '?'}': ${reason}`,
    );
  }
}

/**
 * A model does not fit fixed point at the chosen bit width: `node` names the layer whose values
 * leave the range, and the message says what to change (a smaller scale, a larger ℓ).
 */
export class FixedPointError extends Error {
  override readonly name = 'FixedPointError';
  readonly code = 'FIXED_POINT_RANGE' as const satisfies NnErrorCode;
  constructor(
    readonly node: string,
    readonly reason: string,
  ) {
    super(`layer '${node}': ${reason}`);
  }
}

/**
 * The two parties of a secure session disagree (`field`: ell, scale, model, input, program) or
 * one of them sent something that is not a session message.
 */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly code = 'SESSION_MISMATCH' as const satisfies NnErrorCode;
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`session ${field}: ${reason}`);
  }
}

/**
 * A secure backend whose package is not installed: the HE backends need the optional peer
 * dependency @secinfer/he-linear (and its node-seal), which users of the OT backend or of ONNX
 * import alone need not install.
 */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly code = 'BACKEND_UNAVAILABLE' as const satisfies NnErrorCode;
  constructor(
    readonly backend: string,
    readonly packageName: string,
    options?: { cause?: unknown },
  ) {
    super(
      `backend '${backend}' needs the package ${packageName}, which is not installed: ` +
        `add it next to @secinfer/nn (npm install ${packageName}), or use backend 'ot'`,
      options,
    );
  }
}
