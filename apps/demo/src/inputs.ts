// The command's input: an embedded MNIST digit, a PNG or JPEG image (decoded with pngjs and
// jpeg-js, then preprocessed as the model card says, by preprocess.ts, which the web page
// shares), or a .npy array. Every failure is an InputError with a code and a message that says
// what to pass.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { mnistDigit } from '@secinfer/nn';
import { seededRandom } from '@secinfer/transport';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputError } from './errors.js';
import { readNpy } from './npy.js';
import { type InputSpec, preprocessImage, type RgbaImage } from './preprocess.js';

export type { InputSpec } from './preprocess.js';

/** A loaded input and where it came from (for the report). */
export interface LoadedInput {
  readonly data: Float32Array;
  readonly source: string;
  /** The true label when known (embedded MNIST digits). */
  readonly label?: number;
}

/** The decoded image, RGBA (pngjs and jpeg-js both give four bytes a pixel). */
function decodeImage(path: string, bytes: Uint8Array): RgbaImage {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.png') return PNG.sync.read(Buffer.from(bytes));
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
  } catch (e) {
    throw new InputError(
      'IMAGE_CORRUPT',
      `cannot decode ${path} as ${ext === '.png' ? 'PNG' : 'JPEG'}: ${(e as Error).message}`,
    );
  }
}

const shapeText = (shape: readonly number[]) =>
  `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;

/** A .npy array of the model's input shape (or that shape without its batch axis of 1). */
function npyInput(path: string, bytes: Uint8Array, shape: readonly number[]): Float32Array {
  const array = readNpy(path, bytes);
  const same = (a: readonly number[]) =>
    a.length === array.shape.length && a.every((d, i) => d === array.shape[i]);
  if (same(shape) || (shape[0] === 1 && same(shape.slice(1)))) return array.data;
  const needs = shape.reduce((a, b) => a * b, 1);
  throw new InputError(
    'INPUT_SHAPE',
    `${path} has shape ${shapeText(array.shape)}, the model's input is ${shapeText(shape)}` +
      (array.data.length === needs
        ? ' (same size, other layout: reshape it only if that is really its layout)'
        : ` (it holds ${array.data.length} values, the model needs ${needs})`),
  );
}

/**
 * Loads `--input` for a model: `digit:N` / `N` (an embedded held-out MNIST digit), an image
 * file (.png, .jpg, .jpeg) or a .npy array. Without a spec: MNIST digit 7, or a seeded
 * synthetic image for other models.
 */
export function loadInput(spec: string | undefined, input: InputSpec): LoadedInput {
  const count = input.shape.reduce((a, b) => a * b, 1);
  const digit =
    spec === undefined
      ? input.kind === 'mnist'
        ? '7'
        : undefined
      : /^(?:digit:)?(\d)$/.exec(spec)?.[1];
  if (digit !== undefined || (spec === undefined && input.kind === 'mnist')) {
    if (input.kind !== 'mnist')
      throw new InputError(
        'INPUT_KIND',
        `--input ${spec}: embedded digits are for the MNIST model; pass an image file`,
      );
    const label = Number(digit);
    return {
      data: mnistDigit(label),
      source: `embedded held-out MNIST digit (label ${label})`,
      label,
    };
  }
  if (spec === undefined) {
    // Seeded pseudo-random pixels in [0, 1), normalised like an image.
    const random = seededRandom(0x2020);
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      const c = Math.floor(i / (count / (input.shape[1] ?? 1)));
      data[i] = (random() - (input.mean?.[c] ?? 0)) / (input.std?.[c] ?? 1);
    }
    return { data, source: 'synthetic image (seeded random pixels)' };
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(spec);
  } catch (e) {
    throw new InputError(
      'INPUT_UNREADABLE',
      `cannot read input ${spec}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const ext = extname(spec).toLowerCase();
  if (ext === '.npy') return { data: npyInput(spec, bytes, input.shape), source: spec };
  if (ext === '.png' || ext === '.jpg' || ext === '.jpeg')
    return { data: preprocessImage(decodeImage(spec, bytes), input), source: spec };
  throw new InputError(
    'INPUT_KIND',
    `--input ${spec}: expected digit:0..9, a .png/.jpg image or a .npy array`,
  );
}
