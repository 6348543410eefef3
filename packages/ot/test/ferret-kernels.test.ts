import { describe, expect, it } from 'vitest';
import { randomBytes } from '../src/index.js';
import {
  expandLevel,
  ggmReceive,
  ggmReceiveReference,
  ggmSend,
  ggmSendReference,
  ggmTreeReference,
  lpnEncode,
  lpnEncodeReference,
  lpnRowReference,
} from '../src/kernels.js';
import { hex } from './helpers.js';

describe('GGM trees', () => {
  it('batched level expansion equals per-node recursion, for several trees', () => {
    const trees = 3;
    const h = 5;
    const roots = randomBytes(16 * trees);
    const leaves = new Uint8Array((16 * trees) << h);
    const sums = ggmSend(roots, h, leaves);
    for (let g = 0; g < trees; g++) {
      const want = ggmTreeReference(roots.slice(16 * g, 16 * g + 16), h);
      for (let i = 0; i < want.length; i++) {
        expect(hex(leaves.subarray(16 * ((g << h) + i), 16 * ((g << h) + i + 1)))).toBe(
          hex(want[i]!),
        );
      }
    }
    expect(sums.length).toBe(32 * h * trees);
    expect(expandLevel(roots).length).toBe(32 * trees);
  });

  it('the receiver rebuilds every leaf but α from the off-path sums', () => {
    const trees = 4;
    const h = 6;
    const roots = randomBytes(16 * trees);
    const leaves = new Uint8Array((16 * trees) << h);
    const sums = ggmSend(roots, h, leaves);
    const alphas = Uint32Array.from([0, 63, 17, 42]);
    const offPath = new Uint8Array(16 * h * trees);
    for (let g = 0; g < trees; g++) {
      for (let i = 1; i <= h; i++) {
        const side = ((alphas[g]! >>> (h - i)) & 1) ^ 1;
        const at = 32 * (g * h + i - 1) + 16 * side;
        offPath.set(sums.subarray(at, at + 16), 16 * (g * h + i - 1));
      }
    }
    const got = new Uint8Array(leaves.length);
    ggmReceive(alphas, h, offPath, got);
    for (let g = 0; g < trees; g++) {
      for (let i = 0; i < 1 << h; i++) {
        const block = (a: Uint8Array) =>
          hex(a.subarray(16 * ((g << h) + i), 16 * ((g << h) + i + 1)));
        if (i === alphas[g]) expect(block(got)).toBe('00'.repeat(16));
        else expect(block(got)).toBe(block(leaves));
      }
    }
  });
});

describe('GGM trees in WebAssembly', () => {
  // 2^11 parents per kernel chunk: these shapes split trees across chunks and chunks across
  // trees, and the odd offset exercises an unaligned output.
  for (const [trees, h, offset] of [
    [1, 1, 0],
    [3, 13, 0],
    [1295, 4, 0],
    [5, 9, 1],
  ] as const) {
    it(`sender and receiver equal the plain references, ${trees} trees of 2^${h}`, () => {
      const roots = randomBytes(16 * trees);
      const want = new Uint8Array((16 * trees) << h);
      const wantSums = ggmSendReference(roots, h, want);
      const got = new Uint8Array(((16 * trees) << h) + offset).subarray(offset);
      expect(hex(ggmSend(roots, h, got))).toBe(hex(wantSums));
      expect(hex(got)).toBe(hex(want));
      const alphas = Uint32Array.from({ length: trees }, (_, g) => (g * 2654435761) % (1 << h));
      const offPath = randomBytes(16 * h * trees);
      const wantLeaves = new Uint8Array(want.length);
      ggmReceiveReference(alphas, h, offPath, wantLeaves);
      const gotLeaves = new Uint8Array(want.length + offset).subarray(offset);
      const totals = ggmReceive(alphas, h, offPath, gotLeaves);
      expect(hex(gotLeaves)).toBe(hex(wantLeaves));
      // Each tree's returned total is the XOR of its rebuilt leaves (leaf α is zero).
      const wantTotals = new Uint8Array(16 * trees);
      for (let j = 0; j < trees << h; j++) {
        for (let b = 0; b < 16; b++) wantTotals[16 * (j >> h) + b]! ^= wantLeaves[16 * j + b]!;
      }
      expect(hex(totals)).toBe(hex(wantTotals));
    });
  }
});

describe('LPN encoding', () => {
  it('equals the row-by-row definition on blocks and bits', () => {
    const code = { k: 1000, d: 10, seed: randomBytes(16) };
    const n = 2500;
    const x = randomBytes(16 * code.k);
    const xBits = randomBytes(code.k).map((b) => b & 1);
    const y = randomBytes(16 * n);
    const yBits = randomBytes(n).map((b) => b & 1);
    const [y0, b0] = [y.slice(), yBits.slice()];
    lpnEncode(code, x, y, xBits, yBits);
    for (const i of [0, 1, 1023, 1024, 2499]) {
      const want = y0.slice(16 * i, 16 * i + 16);
      let bit = b0[i]!;
      const cols = lpnRowReference(code, i);
      expect(cols.length).toBe(10);
      for (const c of cols) {
        expect(c).toBeLessThan(code.k);
        for (let b = 0; b < 16; b++) want[b]! ^= x[16 * c + b]!;
        bit ^= xBits[c]!;
      }
      expect(hex(y.subarray(16 * i, 16 * i + 16))).toBe(hex(want));
      expect(yBits[i]).toBe(bit);
    }
  });

  it('the WebAssembly kernel equals the plain reference bit for bit', () => {
    for (const [k, d, n] of [
      [1, 1, 3],
      [7, 10, 1024],
      [589_824, 10, 3_000],
      [65_537, 3, 5_000],
    ] as const) {
      const code = { k, d, seed: randomBytes(16) };
      const x = randomBytes(16 * k);
      const xBits = randomBytes(k).map((b) => b & 1);
      const y = randomBytes(16 * n);
      const yBits = randomBytes(n).map((b) => b & 1);
      const [want, wantBits] = [y.slice(), yBits.slice()];
      lpnEncodeReference(code, x, want, xBits, wantBits);
      const [got, gotBits] = [y.slice(), yBits.slice()];
      lpnEncode(code, x, got, xBits, gotBits);
      expect(hex(got)).toBe(hex(want));
      expect(hex(gotBits)).toBe(hex(wantBits));
      const blocks = y.slice();
      lpnEncode(code, x, blocks);
      expect(hex(blocks)).toBe(hex(want));
      expect(hex(want)).not.toBe(hex(y));
    }
  });
});
