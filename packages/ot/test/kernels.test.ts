import { describe, expect, it } from 'vitest';
import { checkWasm } from '../../../tools/wasm/check.js';
import { packBits, packValues, unpackValues, walshHadamardCodewords } from '../src/index.js';
import { transpose, transposeReference, xorInto, xorIntoWasm } from '../src/kernels.js';
import { hex, randomU8, randomValues } from './helpers.js';

describe('transpose', () => {
  it.each([
    [16, 8],
    [128, 8],
    [128, 128],
    [128, 1024 + 8],
    [256, 16 * 37],
    [16 * 37, 256],
    [128 * 9, 128],
  ])('WASM SIMD equals the TS reference on a random %i × %i matrix', (rows, cols) => {
    const m = randomU8((rows * cols) / 8);
    expect(hex(transpose(m, rows, cols))).toBe(hex(transposeReference(m, rows, cols)));
  });

  it('transposing twice is the identity (128 × 2^14)', () => {
    const m = randomU8((128 << 14) / 8);
    expect(hex(transpose(transpose(m, 128, 1 << 14), 1 << 14, 128))).toBe(hex(m));
  });

  it('the reference puts row r, column c at row c, column r', () => {
    const m = new Uint8Array((16 * 24) / 8);
    m[3 * 3 + 2] = 1 << 5; // row 3, column 21
    const t = transposeReference(m, 16, 24);
    expect(t[21 * 2]).toBe(1 << 3);
  });

  it('the embedded modules are what asm/*.ts compile to', () => {
    const report = checkWasm(new URL('..', import.meta.url));
    expect(report).toContain('transpose.wasm.ts matches');
    expect(report).toContain('vector-cot.wasm.ts matches');
    expect(report).toContain('aes.wasm.ts matches');
  });
});

describe('XOR', () => {
  it.each([1, 15, 16, 17, 1000, 65536 + 3])('WASM SIMD equals the TS kernel on %i bytes', (n) => {
    const a = randomU8(n);
    const b = randomU8(n + 5);
    const viaTs = a.slice();
    xorInto(viaTs, b);
    const viaWasm = a.slice();
    xorIntoWasm(viaWasm, b);
    expect(hex(viaWasm)).toBe(hex(viaTs));
    for (let i = 0; i < n; i += 97) expect(viaTs[i]).toBe(a[i]! ^ b[i]!);
  });
});

describe('packing', () => {
  it.each([1, 2, 7, 8, 13, 31, 32, 33, 37, 63, 64])('ℓ = %i round-trips in ⌈nℓ/8⌉ bytes', (ell) => {
    const n = 101;
    const v = randomValues(n, ell);
    const p = packValues(v, n, ell);
    expect(p.length).toBe(Math.ceil((n * ell) / 8));
    expect(Array.from(unpackValues(p, n, ell))).toEqual(Array.from(v));
  });

  it('choice bits pack least significant bit first', () => {
    expect(Array.from(packBits(Uint8Array.from([1, 0, 0, 1, 0, 0, 0, 0, 1])))).toEqual([9, 1]);
  });
});

describe('Walsh–Hadamard code', () => {
  it('any two of the 256 codewords differ in exactly 128 bits', () => {
    const c = walshHadamardCodewords(256);
    const weight = (x: number, y: number) => {
      let w = 0;
      for (let k = 0; k < 32; k++) {
        let v = c[32 * x + k]! ^ c[32 * y + k]!;
        for (; v; v &= v - 1) w++;
      }
      return w;
    };
    for (let x = 0; x < 256; x += 7)
      for (let y = x + 1; y < 256; y += 5) expect(weight(x, y)).toBe(128);
  });
});
