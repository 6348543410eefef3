// Reading the .npy arrays users save with `numpy.save`: format versions 1.0, 2.0 and 3.0,
// little-endian float16/float32/float64 in C order. The values are read at their offset inside
// the file's own bytes (a Node Buffer may be a view into a larger pooled ArrayBuffer, so the
// array must never be taken from `buffer` at offset 0). Anything else — big-endian, object
// arrays, Fortran order, other dtypes, a truncated body — is an InputError that names it.
import { InputError } from './errors.js';

/** A decoded .npy array, values widened to float32. */
export interface NpyArray {
  readonly shape: readonly number[];
  /** The header's dtype, e.g. '<f4'. */
  readonly dtype: string;
  readonly data: Float32Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** IEEE 754 half → number (DataView has no getFloat16 before Node 24). */
function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const READERS: Record<string, { size: number; read: (v: DataView, at: number) => number }> = {
  '<f2': { size: 2, read: (v, at) => halfToNumber(v.getUint16(at, true)) },
  '<f4': { size: 4, read: (v, at) => v.getFloat32(at, true) },
  '<f8': { size: 8, read: (v, at) => v.getFloat64(at, true) },
};

/** The header's Python dict literal: `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }`. */
function parseHeader(path: string, header: string): { dtype: string; shape: number[] } {
  const dtype = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (dtype === undefined || fortran === undefined || shapeText === undefined)
    throw new InputError('NPY_MALFORMED', `${path}: the .npy header is not readable: ${header}`);
  if (dtype === '|O' || dtype === 'O')
    throw new InputError(
      'NPY_OBJECT',
      `${path} holds a Python object array; save a numeric array (x.astype(numpy.float32))`,
    );
  if (dtype.startsWith('>'))
    throw new InputError(
      'NPY_BIG_ENDIAN',
      `${path} is big-endian (${dtype}); save it little-endian (x.astype('<f4'))`,
    );
  if (!(dtype in READERS))
    throw new InputError(
      'NPY_DTYPE',
      `${path}: dtype ${dtype} is not supported; save float16, float32 or float64 (x.astype(numpy.float32))`,
    );
  if (fortran === 'True')
    throw new InputError(
      'NPY_FORTRAN_ORDER',
      `${path} is in Fortran order; save it in C order (numpy.ascontiguousarray(x))`,
    );
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (!shape.every((d) => Number.isInteger(d) && d >= 0))
    throw new InputError('NPY_MALFORMED', `${path}: the .npy shape (${shapeText}) is not readable`);
  return { dtype, shape };
}

/** Decodes the bytes of a .npy file. */
export function readNpy(path: string, bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new InputError('NPY_MALFORMED', `${path} is not a .npy file (no \\x93NUMPY magic)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3)
    throw new InputError(
      'NPY_MALFORMED',
      `${path}: .npy format version ${major}.${bytes[7]} is not known`,
    );
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes)
    throw new InputError('NPY_MALFORMED', `${path}: the .npy header is truncated`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length)
    throw new InputError('NPY_MALFORMED', `${path}: the .npy header is truncated`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(
    bytes.subarray(headerStart, dataStart),
  );
  const { dtype, shape } = parseHeader(path, header);
  const reader = READERS[dtype]!;
  const count = shape.reduce((a, b) => a * b, 1);
  const bodyBytes = bytes.length - dataStart;
  if (bodyBytes !== count * reader.size)
    throw new InputError(
      'NPY_MALFORMED',
      `${path} has ${bodyBytes} bytes of data, its header (shape (${shape.join(', ')}), ${dtype}) needs ${count * reader.size}`,
    );
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = reader.read(view, dataStart + i * reader.size);
  return { shape, dtype, data };
}
