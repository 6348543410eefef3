// The client's input: an embedded MNIST digit, a PNG or JPEG image (decoded with pngjs and
// jpeg-js, then preprocessed as the model card says — for ImageNet models torchvision's
// Resize(256) + CenterCrop(224) + ToTensor + Normalize(mean, std), bit-exact on PNGs), or a
// .npy array. Every failure is an InputError with a code and a message that says what to pass.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { mnistDigit } from '@secinfer/nn';
import { seededRandom } from '@secinfer/transport';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputError } from './errors.js';
import { readNpy } from './npy.js';
import { centerCrop, type Plane, resizeBilinear, shorterSideSize } from './resample.js';

/** How a model wants its image: channels, size and per-channel normalisation. */
export interface InputSpec {
  readonly shape: readonly number[];
  /** 'mnist': grey, pixels in [0, 1]; otherwise RGB normalised by mean and std. */
  readonly kind: 'mnist' | 'rgb';
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  /**
   * Images: resize the shorter side to this many pixels, then centre-crop to the input's
   * H × W (torchvision's ImageNet evaluation transform); absent: resize straight to H × W.
   */
  readonly resize?: number;
}

/** A loaded input and where it came from (for the report). */
export interface LoadedInput {
  readonly data: Float32Array;
  readonly source: string;
  /** The true label when known (embedded MNIST digits). */
  readonly label?: number;
}

/** The decoded image as 8-bit R, G and B planes (alpha dropped, as PIL's convert('RGB')). */
function decodeImage(path: string, bytes: Uint8Array): Plane[] {
  const ext = extname(path).toLowerCase();
  let image: { width: number; height: number; data: Uint8Array };
  try {
    if (ext === '.png') image = PNG.sync.read(Buffer.from(bytes));
    else
      image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
  } catch (e) {
    throw new InputError(
      'IMAGE_CORRUPT',
      `cannot decode ${path} as ${ext === '.png' ? 'PNG' : 'JPEG'}: ${(e as Error).message}`,
    );
  }
  const { width, height, data } = image;
  return [0, 1, 2].map((c) => ({
    width,
    height,
    data: Uint8Array.from({ length: width * height }, (_, i) => data[i * 4 + c]!),
  }));
}

/**
 * The model's H × W view of an image: with `resize`, torchvision's Resize(resize) (shorter
 * side) then CenterCrop(H, W); without, a direct resize to W × H.
 */
function fitImage(plane: Plane, spec: InputSpec, width: number, height: number): Plane {
  if (spec.resize === undefined) return resizeBilinear(plane, width, height);
  const scaled = shorterSideSize(plane.width, plane.height, spec.resize);
  if (scaled.width < width || scaled.height < height)
    throw new InputError(
      'INPUT_KIND',
      `the model card asks to resize to ${spec.resize} and crop ${width}x${height}, which does not fit`,
    );
  return centerCrop(resizeBilinear(plane, scaled.width, scaled.height), width, height);
}

function imageInput(path: string, bytes: Uint8Array, spec: InputSpec): Float32Array {
  const [, c, h, w] = spec.shape as [number, number, number, number];
  const [r, g, b] = decodeImage(path, bytes).map((p) => fitImage(p, spec, w, h).data) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  // MNIST digits: the luma of the RGB channels in [0, 1] (white on black).
  if (spec.kind === 'mnist')
    return Float32Array.from(r, (v, i) => (0.299 * v + 0.587 * g[i]! + 0.114 * b[i]!) / 255);
  const out = new Float32Array(c * h * w);
  [r, g, b].slice(0, c).forEach((plane, k) => {
    const mean = spec.mean?.[k] ?? 0;
    const std = spec.std?.[k] ?? 1;
    for (let i = 0; i < plane.length; i++) out[k * h * w + i] = (plane[i]! / 255 - mean) / std;
  });
  return out;
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
    return { data: imageInput(spec, bytes, input), source: spec };
  throw new InputError(
    'INPUT_KIND',
    `--input ${spec}: expected digit:0..9, a .png/.jpg image or a .npy array`,
  );
}
