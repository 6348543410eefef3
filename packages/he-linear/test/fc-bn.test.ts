/**
 * heFullyConnected and heBatchNorm end to end on real BFV, for both primes: exact equality
 * with the cleartext Z_n layers (several input chunks, several output groups, batches), the
 * noise budget left, and the printed statistics of the flooding plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bnField, fcField } from '../src/cleartext.js';
import { MIN_BUDGET } from '../src/noise.js';
import { fcGeometry } from '../src/plans/fc.js';
import { heBatchNorm } from '../src/protocols/bn.js';
import { heFullyConnected } from '../src/protocols/fc.js';
import { contextOf, reconstruct, type SessionPair, sessionPair, shares } from './helpers.js';

const fcCases = [
  { batch: 2, inFeatures: 20, outFeatures: 7 },
  { batch: 1, inFeatures: 5000, outFeatures: 3 },
  { batch: 1, inFeatures: 100, outFeatures: 300 },
  { batch: 1, inFeatures: 64, outFeatures: 200 },
];

for (const ell of [32, 37] as const) {
  describe(`heFullyConnected and heBatchNorm, ℓ = ${ell}`, () => {
    let pair: SessionPair;
    beforeAll(async () => {
      pair = await sessionPair(ell);
    });
    afterAll(() => {
      pair.server.dispose();
      pair.client.dispose();
    });

    for (const l of ell === 32 ? fcCases : fcCases.slice(0, 2)) {
      it(`fc ${l.inFeatures} → ${l.outFeatures}, batch ${l.batch}`, async () => {
        const { f, server, client } = pair;
        const { x, x0, x1 } = shares(f, l.batch * l.inFeatures);
        const w = shares(f, l.outFeatures * l.inFeatures).x;
        const [y0, y1] = await Promise.all([
          heFullyConnected(contextOf(server), l, x0, w),
          heFullyConnected(contextOf(client), l, x1),
        ]);
        expect(reconstruct(f, y0, y1)).toEqual(fcField(f, l, x, w));
        expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
        const g = fcGeometry(l);
        expect(client.lastLayer!.outputCiphertexts).toBe(l.batch * g.outGroups);
      });
    }

    it('fc on edge values (0, ±1, ±(n−1)/2) in inputs, shares and weights', async () => {
      const { f, server, client } = pair;
      const edges = [0, 1, f.n - 1, (f.n - 1) / 2, (f.n + 1) / 2, 2, f.n - 2];
      const l = { batch: 1, inFeatures: 49, outFeatures: 7 };
      const pick = (i: number) => edges[i % edges.length]!;
      const x0 = Float64Array.from({ length: 49 }, (_, i) => pick(i));
      const x1 = Float64Array.from({ length: 49 }, (_, i) => pick(Math.floor(i / 7)));
      const w = Float64Array.from({ length: 49 * 7 }, (_, i) => pick(i * 3));
      const [y0, y1] = await Promise.all([
        heFullyConnected(contextOf(server), l, x0, w),
        heFullyConnected(contextOf(client), l, x1),
      ]);
      expect(reconstruct(f, y0, y1)).toEqual(fcField(f, l, reconstruct(f, x0, x1), w));
    });

    it('batch norm over two ciphertexts', async () => {
      const { f, server, client } = pair;
      const l = { batch: 2, channels: 3, spatial: 1500 };
      const { x, x0, x1 } = shares(f, l.batch * l.channels * l.spatial);
      const scale = shares(f, l.channels).x;
      const [y0, y1] = await Promise.all([
        heBatchNorm(contextOf(server), l, x0, scale),
        heBatchNorm(contextOf(client), l, x1),
      ]);
      expect(reconstruct(f, y0, y1)).toEqual(bnField(f, l, x, scale));
      expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
    });
  });
}
