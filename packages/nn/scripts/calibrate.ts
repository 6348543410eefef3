// Calibrates the cost model of backend `auto` on this machine and rewrites
// src/secure/cost-coefficients.ts:
//   pnpm --filter @secinfer/nn run calibrate
// It times small conv, gemm and affine layers on both linear backends (OT and ring HE, both
// parties in one process on a memory channel, so a time is the two parties' work together),
// the best of three runs each, and fits each backend's seconds as a non-negative combination
// of its work counts (cost-model.ts), weighting every layer by 1 / its time so that small and
// large layers are predicted equally well in relative terms. HE key setup is timed once, and
// the first HE layer's one-time warm-up is added to it.
import { writeFileSync } from 'node:fs';
import { CLIENT, partyContext, ring, ringFromSigned, SERVER } from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import { memoryPair } from '@secinfer/transport';
import type { AffineStep, ConvStep, GemmStep } from '../src/fixed/program.js';
import { heCounter, otLinear } from '../src/secure/backends.js';
import { type LinearStep, otLayerWork } from '../src/secure/cost-model.js';
import type { LinearLayers } from '../src/secure/executor.js';
import { loadHeLinear } from '../src/secure/he-linear-loader.js';

const ELL = 32;
const WEIGHT_BITS = [ELL, 10];
const REPEATS = 3;

const base = { inputs: ['x'], output: 'y', hasBias: false } as const;

function conv(c: number, hw: number, m: number, k: number, s: number, p: number): ConvStep {
  return {
    ...base,
    kind: 'conv',
    name: `conv ${c}×${hw}² → ${m}, ${k}×${k}/${s}`,
    node: 'conv',
    geometry: {
      batch: 1,
      inChannels: c,
      height: hw,
      width: hw,
      outChannels: m,
      kernel: [k, k],
      strides: [s, s],
      pads: [p, p, p, p],
      dilations: [1, 1],
      group: 1,
    },
  };
}
const gemm = (k: number, n: number): GemmStep => ({
  ...base,
  kind: 'gemm',
  name: `gemm ${k} → ${n}`,
  node: 'gemm',
  m: 1,
  k,
  n,
});
const affine = (channels: number, inner: number): AffineStep => ({
  ...base,
  kind: 'affine',
  name: `affine ${channels} × ${inner}`,
  node: 'affine',
  batch: 1,
  channels,
  inner,
});

const STEPS: LinearStep[] = [
  conv(1, 28, 8, 5, 2, 2),
  conv(3, 32, 64, 3, 1, 1),
  conv(3, 32, 16, 3, 1, 1),
  conv(16, 16, 16, 3, 1, 1),
  conv(16, 8, 32, 3, 1, 1),
  conv(64, 8, 64, 3, 1, 1),
  conv(32, 16, 16, 1, 1, 0),
  conv(64, 16, 64, 3, 1, 1),
  gemm(256, 10),
  gemm(1024, 100),
  gemm(4096, 10),
  affine(16, 256),
  affine(64, 64),
];

/** The number of inputs and weights of a step (weights per output channel for affine). */
function sizes(step: LinearStep): { x: number; w: number } {
  if (step.kind === 'conv') {
    const g = step.geometry;
    return {
      x: g.inChannels * g.height * g.width,
      w: g.outChannels * g.inChannels * g.kernel[0] * g.kernel[1],
    };
  }
  if (step.kind === 'gemm') return { x: step.m * step.k, w: step.n * step.k };
  return { x: step.batch * step.channels * step.inner, w: step.channels };
}

function call(
  layers: LinearLayers<Uint32Array>,
  step: LinearStep,
  x: Uint32Array,
  w?: Float64Array,
) {
  if (step.kind === 'conv') return layers.conv(step, x, w);
  if (step.kind === 'gemm') return layers.gemm(step, x, w);
  return layers.affine(step, x, w);
}

/** The first and the best of REPEATS runs of `step` on both parties' layers, in seconds. */
async function time(
  pair: readonly [LinearLayers<Uint32Array>, LinearLayers<Uint32Array>],
  step: LinearStep,
  weightBits: number,
): Promise<{ first: number; best: number }> {
  const r = ring(ELL);
  const { x, w } = sizes(step);
  const share = ringFromSigned(
    r,
    Float64Array.from({ length: x }, (_, i) => (i % 97) - 48),
  );
  const half = 2 ** (weightBits - 2);
  const weights = Float64Array.from({ length: w }, (_, i) => ((i * 7919) % (2 * half)) - half);
  const runs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    await Promise.all([call(pair[0], step, share, weights), call(pair[1], step, share)]);
    runs.push((performance.now() - start) / 1000);
  }
  return { first: runs[0]!, best: Math.min(...runs) };
}

/** Least squares with non-negative coefficients (features with a negative fit are dropped). */
function fitNonNegative(rows: number[][], targets: number[]): number[] {
  const n = rows[0]!.length;
  const active = new Set(Array.from({ length: n }, (_, j) => j));
  for (;;) {
    const idx = [...active];
    // Normal equations AᵀA c = Aᵀt on the active features, by Gaussian elimination.
    const a = idx.map((i) => idx.map((j) => rows.reduce((s, row) => s + row[i]! * row[j]!, 0)));
    const b = idx.map((i) => rows.reduce((s, row, k) => s + row[i]! * targets[k]!, 0));
    for (let p = 0; p < idx.length; p++) {
      const pivot = a[p]![p]!;
      for (let q = p + 1; q < idx.length; q++) {
        const f = a[q]![p]! / pivot;
        for (let c = p; c < idx.length; c++) a[q]![c]! -= f * a[p]![c]!;
        b[q]! -= f * b[p]!;
      }
    }
    const c = new Array<number>(idx.length).fill(0);
    for (let p = idx.length - 1; p >= 0; p--) {
      let s = b[p]!;
      for (let q = p + 1; q < idx.length; q++) s -= a[p]![q]! * c[q]!;
      c[p] = s / a[p]![p]!;
    }
    const worst = c.reduce((w, v, p) => (v < c[w]! ? p : w), 0);
    if (c[worst]! >= 0) {
      const out = new Array<number>(n).fill(0);
      idx.forEach((j, p) => {
        out[j] = c[p]!;
      });
      return out;
    }
    active.delete(idx[worst]!);
  }
}

/** Fits seconds ≈ Σ c_j·feature_j, each row weighted by 1 / its seconds. */
function fit(samples: { features: number[]; seconds: number }[]): number[] {
  const scale = samples[0]!.features.map((_, j) => Math.max(...samples.map((s) => s.features[j]!)));
  const rows = samples.map((s) => s.features.map((f, j) => f / scale[j]! / s.seconds));
  const coefficients = fitNonNegative(
    rows,
    samples.map(() => 1),
  );
  return coefficients.map((c, j) => c / scale[j]!);
}

const sig = (v: number) => Number(v.toPrecision(3));

async function main(): Promise<void> {
  const channels = memoryPair();
  const packs = await Promise.all([
    OtPack.setup(SERVER, channels[0]),
    OtPack.setup(CLIENT, channels[1]),
  ]);
  const contexts = [partyContext(packs[0]), partyContext(packs[1])] as const;

  const otSamples: { features: number[]; seconds: number }[] = [];
  for (const weightBits of WEIGHT_BITS) {
    const pair = [
      otLinear(contexts[0], ELL, weightBits),
      otLinear(contexts[1], ELL, weightBits),
    ] as const;
    for (const step of STEPS) {
      const seconds = (await time(pair, step, weightBits)).best;
      const w = otLayerWork(step, ELL, weightBits);
      otSamples.push({ features: [1, w.ots, w.messageBits, w.macs], seconds });
      process.stderr.write(`ot  b=${weightBits} ${step.name}: ${seconds.toFixed(4)} s\n`);
    }
  }

  const module = await loadHeLinear('he');
  const params = module.ringHeParamsFor(ELL, { weightBits: ELL, layers: 16 });
  const setupStart = performance.now();
  const he = await Promise.all(contexts.map((ctx) => module.heContext(ctx, params)));
  const setupSeconds = (performance.now() - setupStart) / 1000;
  const setupStats = he[1]!.he.setupStats;
  const setupBytes = setupStats.bytesSent + setupStats.bytesReceived;
  const r = ring(ELL);
  const heLinearOf = (i: 0 | 1): LinearLayers<Uint32Array> => {
    const encode = (w: Float64Array | undefined) => w && ringFromSigned(r, w);
    return {
      conv: (step, x, w) => module.heConv2dRing(he[i]!, step.geometry, x, encode(w)),
      gemm: (step, x, w) =>
        module.heFullyConnectedRing(
          he[i]!,
          { batch: step.m, inFeatures: step.k, outFeatures: step.n },
          x,
          encode(w),
        ),
      affine: (step, x, w) =>
        module.heBatchNormRing(
          he[i]!,
          { batch: step.batch, channels: step.channels, spatial: step.inner },
          x,
          encode(w),
        ),
    };
  };
  // The geometries a session with no declared link picks (the calibration's memory channel).
  const count = heCounter(module, { ell: ELL, weightBits: ELL });
  const heSamples: { features: number[]; seconds: number }[] = [];
  // The first HE layer of a session pays one-time work (kernel and key preparation) on top of
  // its own: counted with the key setup, as the first run of the first layer less its best.
  let warmUp = 0;
  for (const step of STEPS) {
    const { first, best: seconds } = await time([heLinearOf(0), heLinearOf(1)], step, ELL);
    if (heSamples.length === 0) warmUp = first - seconds;
    const c = count(step);
    heSamples.push({ features: [1, c.products, c.kernels, c.inputs, c.outputs], seconds });
    process.stderr.write(`he  ${step.name}: ${seconds.toFixed(4)} s\n`);
  }
  for (const h of he) h.he.dispose();

  const [otLayer, perOt, perMessageBit, perMac] = fit(otSamples).map(sig);
  const [heLayer, perProduct, perKernel, perInput, perOutput] = fit(heSamples).map(sig);
  const date = new Date().toISOString().slice(0, 10);
  const text = `// Seconds per unit of work of the two linear backends, for the cost model of backend \`auto\`
// (cost-model.ts). Made by \`pnpm --filter @secinfer/nn run calibrate\` (scripts/calibrate.ts) on
// ${date}, at ℓ = ${ELL}: ${STEPS.length} small conv, gemm and affine layers per backend (OT at
// ${WEIGHT_BITS.join(' and ')} weight bits), both parties in one process on a memory channel (so
// a time is the two parties' work together), the best of ${REPEATS} runs, fitted by non-negative
// least squares relative to each layer's time; HE key setup timed once, with the first HE
// layer's one-time warm-up (${sig(warmUp)} s). Rerun it on the machine that serves.
import type { CostCoefficients } from './cost-model.js';

export const COST_COEFFICIENTS: CostCoefficients = {
  ot: { perLayer: ${otLayer}, perOt: ${perOt}, perMessageBit: ${perMessageBit}, perMac: ${perMac} },
  he: {
    perLayer: ${heLayer},
    perProduct: ${perProduct},
    perKernel: ${perKernel},
    perInput: ${perInput},
    perOutput: ${perOutput},
    setupSeconds: ${sig(setupSeconds + warmUp)},
    setupBytes: ${setupBytes},
  },
};
`;
  writeFileSync(new URL('../src/secure/cost-coefficients.ts', import.meta.url), text);
  process.stderr.write(text);
}

await main();
