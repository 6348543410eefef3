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
