// The input readers against files that numpy, PIL and torchvision wrote themselves (see
// fixtures/make-fixtures.py): .npy arrays of every header variant numpy writes, the ones a
// reader must refuse, and torchvision's ImageNet preprocessing of two non-square PNGs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistDigit } from '@secinfer/nn';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { type InputSpec, loadInput } from '../src/inputs.js';
import { readNpy } from '../src/npy.js';
import { preprocessImage } from '../src/preprocess.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);
const MNIST: InputSpec = { shape: [1, 1, 28, 28], kind: 'mnist' };
const RGB8: InputSpec = { shape: [1, 3, 8, 8], kind: 'rgb' };
const IMAGENET: InputSpec = {
  shape: [1, 3, 224, 224],
  kind: 'rgb',
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  resize: 256,
};

function rejection(spec: string, input: InputSpec): InputError {
  try {
    loadInput(spec, input);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`${spec} was accepted`);
}

describe('.npy files written by numpy', () => {
  it('float32, version 1.0: the values at their offset in the file, not its first bytes', () => {
    const bytes = readFileSync(fixture('digit7-f4.npy'));
    // readFileSync's Buffer may sit inside a larger pool; read it through a shifted view too.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    for (const view of [bytes, shifted.subarray(3)]) {
      const array = readNpy('digit7-f4.npy', view);
      expect(array.dtype).toBe('<f4');
      expect(array.shape).toEqual([1, 1, 28, 28]);
      expect(array.data).toEqual(mnistDigit(7));
    }
    expect(loadInput(fixture('digit7-f4.npy'), MNIST).data).toEqual(mnistDigit(7));
  });

  it('float64 and format version 2.0', () => {
    expect(readNpy('f8', readFileSync(fixture('digit3-f8.npy'))).dtype).toBe('<f8');
    expect(loadInput(fixture('digit3-f8.npy'), MNIST).data).toEqual(mnistDigit(3));
    const v2 = readFileSync(fixture('digit7-v2.npy'));
    expect(v2[6]).toBe(2);
    expect(loadInput(fixture('digit7-v2.npy'), MNIST).data).toEqual(mnistDigit(7));
  });

  it('a (1, 3, 8, 8) array keeps its values and order; without the batch axis too', () => {
    const expected = Float32Array.from({ length: 192 }, (_, i) => i / 192);
    expect(loadInput(fixture('rgb8-f4.npy'), RGB8).data).toEqual(expected);
    // A file without the model's batch axis of 1: (28, 28) for a (1, 28, 28) input.
    const hw = loadInput(fixture('digit7-hw.npy'), { shape: [1, 28, 28], kind: 'mnist' });
    expect(hw.data).toEqual(mnistDigit(7));
  });

  it('refuses big-endian, object, Fortran-order, integer arrays and a shape mismatch', () => {
    const cases: [string, InputSpec, string, RegExp][] = [
      ['rgb8-big-endian.npy', RGB8, 'NPY_BIG_ENDIAN', /big-endian \(>f4\)/],
      ['objects.npy', RGB8, 'NPY_OBJECT', /Python object array/],
      ['rgb8-fortran.npy', RGB8, 'NPY_FORTRAN_ORDER', /Fortran order/],
      ['rgb8-int32.npy', RGB8, 'NPY_DTYPE', /dtype <i4 is not supported/],
      [
        'digit7-hw.npy',
        MNIST,
        'INPUT_SHAPE',
        /shape \(28, 28\), the model's input is \(1, 1, 28, 28\)/,
      ],
      ['rgb8-f4.npy', MNIST, 'INPUT_SHAPE', /holds 192 values, the model needs 784/],
    ];
    for (const [name, spec, code, message] of cases) {
      const e = rejection(fixture(name), spec);
      expect([name, e.code]).toEqual([name, code]);
      expect(e.message).toMatch(message);
    }
  });

  it('refuses a truncated body', () => {
    const bytes = readFileSync(fixture('digit7-f4.npy'));
    expect(() => readNpy('cut.npy', bytes.subarray(0, bytes.length - 4))).toThrow(
      /cut\.npy has 3132 bytes of data, its header .* needs 3136/,
    );
  });
});

describe('images: torchvision Resize(256) + CenterCrop(224) + ToTensor + Normalize', () => {
  for (const name of ['landscape-400x300', 'portrait-97x131']) {
    it(`${name}.png within 1e-2 of torchvision's tensor`, () => {
      const expected = readNpy('torchvision', readFileSync(fixture(`${name}.imagenet.npy`)));
      expect(expected.shape).toEqual([1, 3, 224, 224]);
      const actual = loadInput(fixture(`${name}.png`), IMAGENET).data;
      let worst = 0;
      for (let i = 0; i < actual.length; i++)
        worst = Math.max(worst, Math.abs(actual[i]! - expected.data[i]!));
      // float16 storage of the reference is the only difference left (≤ 0.002).
      expect(worst).toBeLessThan(1e-2);
      // A direct resize to 224x224 (no crop) is far off: the test can tell the two apart.
      const direct = loadInput(fixture(`${name}.png`), { ...IMAGENET, resize: undefined }).data;
      let directWorst = 0;
      for (let i = 0; i < direct.length; i++)
        directWorst = Math.max(directWorst, Math.abs(direct[i]! - expected.data[i]!));
      expect(directWorst).toBeGreaterThan(0.5);
    });
  }
});

describe("preprocessImage: the web page's path, from pixels a browser decoded (RGBA)", () => {
  it('gives the tensor loadInput gives for the same PNG, bit for bit', () => {
    for (const name of ['landscape-400x300', 'portrait-97x131']) {
      const png = PNG.sync.read(readFileSync(fixture(`${name}.png`)));
      // What canvas getImageData returns: a Uint8ClampedArray, four bytes a pixel.
      const pixels = {
        width: png.width,
        height: png.height,
        data: new Uint8ClampedArray(png.data),
      };
      const fromPixels = preprocessImage(pixels, IMAGENET);
      expect(fromPixels).toEqual(loadInput(fixture(`${name}.png`), IMAGENET).data);
      const expected = readNpy('torchvision', readFileSync(fixture(`${name}.imagenet.npy`)));
      expect(Math.abs(fromPixels[0]! - expected.data[0]!)).toBeLessThan(1e-2);
    }
  });

  it('MNIST: grey pixels v become v / 255, and a larger image is resized to 28 × 28', () => {
    const grey = (size: number, v: (x: number, y: number) => number) => {
      const data = new Uint8ClampedArray(size * size * 4);
      for (let i = 0; i < size * size; i++) {
        const g = v(i % size, Math.floor(i / size));
        data.set([g, g, g, 255], i * 4);
      }
      return { width: size, height: size, data };
    };
    const exact = preprocessImage(
      grey(28, (x, y) => x * 8 + y),
      MNIST,
    );
    expect(exact.length).toBe(784);
    for (let i = 0; i < 784; i++)
      expect(exact[i]).toBeCloseTo(((i % 28) * 8 + Math.floor(i / 28)) / 255, 6);
    // 56 × 56 of 2 × 2 blocks of one grey each: PIL's bilinear downscale averages each block.
    const blocks = preprocessImage(
      grey(56, (x, y) => (x >> 1) * 8 + (y >> 1)),
      MNIST,
    );
    for (let i = 0; i < 784; i++) expect(blocks[i]).toBeCloseTo(exact[i]!, 2);
  });
});
