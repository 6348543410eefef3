/**
 * heConv2d end to end on real BFV, in both encodings (coefficients, the default; Gazelle's
 * slots): reconstructed shares equal the cleartext Z_n convolution exactly (1×1, 3×3, 7×7
 * kernels; strides 1 and 2; symmetric and asymmetric padding; channels that fill a block and
 * spill into a second; tiles), for both primes; the noise budget left is asserted. And the
 * coefficient geometry's invariants on many shapes. A layer wider than a slot row runs under
 * coefficient encoding, which has its own geometry.
 */

import type { ConvLayer } from '@secinfer/mpc-primitives';
import { seededRandom, testSeed } from '@secinfer/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conv2dField } from '../src/cleartext.js';
import { HeShapeError } from '../src/errors.js';
import { MIN_BUDGET } from '../src/noise.js';
import { ROW, SLOTS } from '../src/params.js';
import { convGeometry } from '../src/plans/conv.js';
import { coefficientConvGeometry } from '../src/plans/conv-coefficients.js';
import { heConv2d } from '../src/protocols/conv.js';
import {
  contextOf,
  convLayer,
  reconstruct,
  type SessionPair,
  sessionPair,
  shares,
} from './helpers.js';

const layer = convLayer;

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
  [
    '3×3 s1, several channel blocks and output groups',
    layer(20, 40, 40, 30, [3, 3], [1, 1], [1, 1, 1, 1]),
  ],
  [
    '5×5 s2 on 100×100 (more pixels than N: tiles)',
    layer(2, 100, 100, 3, [5, 5], [2, 2], [2, 2, 2, 2]),
  ],
];

const inputCiphertexts = (l: ConvLayer, encoding: 'slots' | 'coefficients') => {
  if (encoding === 'slots') {
    const g = convGeometry(l);
    return l.batch * g.tiles * g.copies;
  }
  const g = coefficientConvGeometry(l);
  return l.batch * g.tilesH * g.tilesW * g.channelBlocks;
};

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

    for (const encoding of ['coefficients', 'slots'] as const)
      for (const [name, l] of ell === 32 ? cases : [...cases.slice(1, 4), cases[6]!]) {
        it(`${encoding}: ${name}`, async () => {
          const { f, server, client } = pair;
          const { x, x0, x1 } = shares(f, l.batch * l.inChannels * l.height * l.width);
          const w = shares(f, l.outChannels * l.inChannels * l.kernel[0] * l.kernel[1]).x;
          const [y0, y1] = await Promise.all([
            heConv2d(contextOf(server), l, x0, w, { encoding }),
            heConv2d(contextOf(client), l, x1, undefined, { encoding }),
          ]);
          expect(reconstruct(f, y0, y1)).toEqual(conv2dField(f, l, x, w));
          expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
          expect(client.lastLayer!.inputCiphertexts).toBe(inputCiphertexts(l, encoding));
        });
      }

    it('coefficients: outputs wider than a slot row, which the slot packing refuses', async () => {
      const { f, server, client } = pair;
      const l = layer(2, 2, ROW + 100, 3, [1, 3], [1, 1], [0, 1, 0, 1]);
      const { x, x0, x1 } = shares(f, l.inChannels * l.height * l.width);
      const w = shares(f, l.outChannels * l.inChannels * 3).x;
      await expect(
        heConv2d(contextOf(client), l, x1, undefined, { encoding: 'slots' }),
      ).rejects.toThrow(HeShapeError);
      const [y0, y1] = await Promise.all([
        heConv2d(contextOf(server), l, x0, w),
        heConv2d(contextOf(client), l, x1),
      ]);
      expect(reconstruct(f, y0, y1)).toEqual(conv2dField(f, l, x, w));
    });
  });
}

describe('coefficient conv geometry', () => {
  it('fits every block and output group in N coefficients and covers every output', () => {
    const random = seededRandom(testSeed(7));
    const next = (n: number) => 1 + Math.floor(random() * n);
    for (let i = 0; i < 300; i++) {
      const k: [number, number] = [next(7), next(7)];
      const s: [number, number] = [next(3), next(3)];
      const pads: [number, number, number, number] = [0, 0, 0, 0].map(
        (_, j) => next(k[j % 2]!) - 1,
      ) as [number, number, number, number];
      const l = layer(next(600), next(60) + 6, next(60) + 6, next(600), k, s, pads);
      const g = coefficientConvGeometry(l);
      const plane = g.blockHeight * g.blockWidth;
      expect(g.groupChannels * g.blockChannels * plane).toBeLessThanOrEqual(SLOTS);
      expect(g.tilesH * g.tileHeight).toBeGreaterThanOrEqual(g.oh);
      expect(g.tilesW * g.tileWidth).toBeGreaterThanOrEqual(g.ow);
      expect(g.channelBlocks * g.blockChannels).toBeGreaterThanOrEqual(g.channels);
      expect(g.outGroups * g.groupChannels).toBeGreaterThanOrEqual(l.outChannels);
      expect(g.channels).toBe(l.inChannels * Math.min(s[0], k[0]) * Math.min(s[1], k[1]));
    }
  });
});
