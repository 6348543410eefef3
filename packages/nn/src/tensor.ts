// Dense tensors as plain data: a shape and a row-major (NCHW for images) typed array.
// Weights stay in the precision they were given; executors convert as they need.

/** Element storage of a tensor: float32 as imported, or float64. */
export type FloatArray = Float32Array | Float64Array;

/** A dense row-major tensor. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: FloatArray;
}

/** Number of elements of a tensor of this shape (1 for a scalar). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A shape as text, for error messages: `[1,3,224,224]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
