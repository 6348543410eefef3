/** The one output-size rule of convolution and pooling windows. */
import { describe, expect, it } from 'vitest';
import { convOutputSize, windowOutputSize } from '../src/shapes.js';

describe('window output size', () => {
  it('is ⌊(size + pads − dilated kernel) / stride⌋ + 1', () => {
    expect(windowOutputSize(224, 7, 2, 3, 3)).toBe(112);
    expect(windowOutputSize(56, 3, 1, 1, 1)).toBe(56);
    expect(windowOutputSize(10, 3, 1, 0, 0, 2)).toBe(6); // span 5
    expect(windowOutputSize(2, 3, 1, 0, 0)).toBe(0); // no room: the caller rejects it
  });
  it('gives a convolution its [OH, OW], dilation included', () => {
    const layer = {
      batch: 1,
      inChannels: 3,
      height: 9,
      width: 8,
      outChannels: 2,
      kernel: [3, 2] as const,
      strides: [2, 1] as const,
      pads: [1, 0, 1, 1] as const,
    };
    expect(convOutputSize(layer)).toEqual([5, 8]);
    expect(convOutputSize({ ...layer, dilations: [2, 3] })).toEqual([4, 6]);
  });
});
