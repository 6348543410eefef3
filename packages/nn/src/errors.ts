// Typed errors of the nn package: a malformed graph names the node at fault, a rejected ONNX
// file names the operator and node, so a user can fix their model instead of guessing.

/** A model graph is malformed: `node` names the node (or graph input) at fault. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
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
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`session ${field}: ${reason}`);
  }
}
