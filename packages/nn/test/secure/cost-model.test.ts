/**
 * The cost model's prediction of one HE layer: its compute from the calibrated table, its
 * bytes from the ring's formats, and the longer of compute and transfer (the layer streams)
 * plus one round trip — the rule that decides where a link makes HE the cheaper backend.
 */
import { describe, expect, it } from 'vitest';
import { COST_COEFFICIENTS } from '../../src/secure/cost-coefficients.js';
import { heLayerBytes, predictHe } from '../../src/secure/cost-model.js';

describe('predictHe', () => {
  const counts = { inputs: 58, outputs: 64, products: 1856, kernels: 928 };
  const c = COST_COEFFICIENTS;
  const compute =
    c.he.perLayer +
    c.he.perProduct * counts.products +
    c.he.perKernel * counts.kernels +
    c.he.perInput * counts.inputs +
    c.he.perOutput * counts.outputs;
  const bytes = heLayerBytes(counts, 32);

  it('is compute plus a round trip on a link that carries the bytes in less time', () => {
    const lan = { rttMs: 0.3, bytesPerSecond: 384e6 };
    const p = predictHe(counts, 32, c, lan);
    expect(bytes / lan.bytesPerSecond).toBeLessThan(compute);
    expect(p.seconds).toBeCloseTo(compute + 0.0003, 12);
    expect(p.bytes).toBe(bytes);
  });

  it('is the transfer plus a round trip on a link slower than the compute, not their sum', () => {
    const slow = { rttMs: 100, bytesPerSecond: 4e6 };
    const p = predictHe(counts, 32, c, slow);
    expect(bytes / slow.bytesPerSecond).toBeGreaterThan(compute);
    expect(p.seconds).toBeCloseTo(bytes / slow.bytesPerSecond + 0.1, 12);
    expect(p.computeSeconds).toBeCloseTo(compute, 12);
  });
});
