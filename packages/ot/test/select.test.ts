// Secret-indexed reads by masks (select.ts) against plain indexing.
import { describe, expect, it } from 'vitest';
import { equalMask, selectPacked } from '../src/select.js';

describe('constant-time selection', () => {
  it('equalMask is all ones exactly on equality', () => {
    for (const [a, b] of [
      [0, 0],
      [5, 5],
      [2 ** 31 - 1, 2 ** 31 - 1],
      [0, 1],
      [7, 3],
      [0, 2 ** 31 - 1],
    ] as const)
      expect(equalMask(a, b)).toBe(a === b ? -1 : 0);
  });

  it('selectPacked reads message c of block j as bit indexing does, for N ≤ 256 and ℓ ≤ 8', () => {
    let seed = 1;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 24;
    };
    for (let logN = 1; logN <= 8; logN++)
      for (let bits = 1; bits <= 8; bits++) {
        const blocks = 5;
        const reply = Uint8Array.from({ length: Math.ceil(((blocks << logN) * bits) / 8) }, random);
        for (let j = 0; j < blocks; j++)
          for (let c = 0; c < 1 << logN; c += Math.max(1, (1 << logN) >>> 3)) {
            const bit = ((j << logN) + c) * bits;
            const word = reply[bit >>> 3]! | ((reply[(bit >>> 3) + 1] ?? 0) << 8);
            const want = (word >>> (bit & 7)) & ((1 << bits) - 1);
            expect(selectPacked(reply, j, c, logN, bits) & ((1 << bits) - 1)).toBe(want);
          }
      }
  });
});
