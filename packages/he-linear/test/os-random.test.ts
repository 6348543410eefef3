import { describe, expect, it } from 'vitest';
import { osRandomWords } from '../src/os-random.js';

describe('osRandomWords', () => {
  it('fills buffers past one getRandomValues call (65,536 bytes), slice by slice', () => {
    const words = osRandomWords(new Uint32Array(3 * 16384 + 5));
    // Each 16,384-word slice, and the short last one, holds random words: none is all zero.
    for (const start of [0, 16384, 32768, 49152]) {
      const slice = words.subarray(start, start + 16384);
      expect(slice.some((w) => w !== 0)).toBe(true);
    }
    expect(new Set(words).size).toBeGreaterThan(words.length - 10);
  });
});
