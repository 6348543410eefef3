// Seconds per unit of work of the two linear backends, for the cost model of backend `auto`
// (cost-model.ts). Made by `pnpm --filter @secinfer/nn run calibrate` (scripts/calibrate.ts) on
// 2026-12-06, at ℓ = 32: 13 small conv, gemm and affine layers per backend (OT at
// 32 and 10 weight bits), both parties in one process on a memory channel (so
// a time is the two parties' work together), the best of 3 runs, fitted by non-negative
// least squares relative to each layer's time; HE key setup timed once, with the first HE
// layer's one-time warm-up (0.0494 s). Rerun it on the machine that serves.
import type { CostCoefficients } from './cost-model.js';

export const COST_COEFFICIENTS: CostCoefficients = {
  ot: { perLayer: 0.000323, perOt: 1.42e-7, perMessageBit: 2.15e-10, perMac: 0 },
  he: {
    perLayer: 0,
    perProduct: 0,
    perKernel: 0.00032,
    perInput: 0.00228,
    perOutput: 0.00385,
    setupSeconds: 0.624,
    setupBytes: 262442,
  },
};
