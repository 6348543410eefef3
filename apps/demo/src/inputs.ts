// The client's input: an embedded MNIST digit, a PNG or JPEG image (decoded with pngjs and
// jpeg-js, resized bilinearly and normalised the way the model expects), or a .npy array.
// Every failure is an InputError with a message that says what is wrong and what to pass.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { mnistDigit } from '@secinfer/nn';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { CliError } from './errors.js';

/** How a model wants its image: channels, size and per-channel normalisation. */
export interface InputSpec {
  readonly shape: readonly number[];
  /** 'mnist': grey, pixels in [0, 1]; otherwise RGB normalised by mean and std. */
  readonly kind: 'mnist' | 'rgb';
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

/** A loaded input and where it came from (for the report). */
export interface LoadedInput {
  readonly data: Float32Array;
  readonly source: string;
  /** The true label when known (embedded MNIST digits). */
  readonly label?: number;
}

class InputError extends CliError {
  constructor(message: string) {
    super(message, 2, 'BAD_INPUT');
  }
}

/** RGBA pixels of an image file. */
function decodeImage(
  path: string,
  bytes: Uint8Array,
): { width: number; height: number; rgba: Uint8Array } {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.png') {
      const png = PNG.sync.read(Buffer.from(bytes));
      return { width: png.width, height: png.height, rgba: png.data };
    }
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxMemoryUsageInMB: 512,
    });
    return { width: img.width, height: img.height, rgba: img.data };
  } catch (e) {
    throw new InputError(
      `cannot decode ${path} as ${ext === '.png' ? 'PNG' : 'JPEG'}: ${(e as Error).message}`,
    );
  }
}

/** Bilinear resize of one channel of RGBA pixels to w × h, values in [0, 1]. */
function resizeChannel(
  src: { width: number; height: number; rgba: Uint8Array },
  channel: number,
  w: number,
  h: number,
): Float32Array {
  const out = new Float32Array(w * h);
  const sx = src.width / w;
  const sy = src.height / h;
  const at = (x: number, y: number) => src.rgba[(y * src.width + x) * 4 + channel]! / 255;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), src.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, src.height - 1);
    for (let x = 0; x < w; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), src.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, src.width - 1);
      const top = at(x0, y0) + (at(x1, y0) - at(x0, y0)) * (fx - x0);
      const bottom = at(x0, y1) + (at(x1, y1) - at(x0, y1)) * (fx - x0);
      out[y * w + x] = top + (bottom - top) * (fy - y0);
    }
  }
  return out;
}

function imageInput(path: string, bytes: Uint8Array, spec: InputSpec): Float32Array {
  const img = decodeImage(path, bytes);
  const [, c, h, w] = spec.shape as [number, number, number, number];
  if (spec.kind === 'mnist') {
    // Luma of the RGB channels; MNIST digits are white on black.
    const [r, g, b] = [0, 1, 2].map((k) => resizeChannel(img, k, w, h)) as [
      Float32Array,
      Float32Array,
      Float32Array,
    ];
    return r.map((v, i) => 0.299 * v + 0.587 * g[i]! + 0.114 * b[i]!);
  }
  const out = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++) {
    const plane = resizeChannel(img, k, w, h);
    const mean = spec.mean?.[k] ?? 0;
    const std = spec.std?.[k] ?? 1;
    for (let i = 0; i < plane.length; i++) out[k * h * w + i] = (plane[i]! - mean) / std;
  }
  return out;
}

/** A .npy file of float32 or float64 little-endian values (C order) of exactly `count` elements. */
function npyInput(path: string, bytes: Uint8Array, count: number): Float32Array {
  const magic = '\x93NUMPY';
  if (bytes.length < 10 || String.fromCharCode(...bytes.subarray(0, 6)) !== magic)
    throw new InputError(`${path} is not a .npy file`);
  const major = bytes[6]!;
  const headerLength =
    major === 1
      ? bytes[8]! | (bytes[9]! << 8)
      : new DataView(bytes.buffer, bytes.byteOffset + 8, 4).getUint32(0, true);
  const start = (major === 1 ? 10 : 12) + headerLength;
  const header = new TextDecoder().decode(bytes.subarray(major === 1 ? 10 : 12, start));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header))
    throw new InputError(`${path}: Fortran-ordered arrays are not supported; save with C order`);
  const body = bytes.slice(start);
  let values: Float32Array | Float64Array;
  if (descr === '<f4') values = new Float32Array(body.buffer, 0, Math.floor(body.length / 4));
  else if (descr === '<f8') values = new Float64Array(body.buffer, 0, Math.floor(body.length / 8));
  else
    throw new InputError(
      `${path}: dtype ${descr ?? '?'} is not supported; save float32 or float64`,
    );
  if (values.length !== count)
    throw new InputError(`${path} holds ${values.length} values, the model needs ${count}`);
  return Float32Array.from(values);
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
    let seed = 0x2020;
    const data = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const c = Math.floor(i / (count / (input.shape[1] ?? 1)));
      data[i] = (seed / 2 ** 32 - (input.mean?.[c] ?? 0)) / (input.std?.[c] ?? 1);
    }
    return { data, source: 'synthetic image (seeded random pixels)' };
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(spec);
  } catch (e) {
    throw new InputError(
      `cannot read input ${spec}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const ext = extname(spec).toLowerCase();
  if (ext === '.npy') return { data: npyInput(spec, bytes, count), source: spec };
  if (ext === '.png' || ext === '.jpg' || ext === '.jpeg')
    return { data: imageInput(spec, bytes, input), source: spec };
  throw new InputError(`--input ${spec}: expected digit:0..9, a .png/.jpg image or a .npy array`);
}
