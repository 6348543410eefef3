// The fixed-point compiler and its cleartext oracle: peepholes, folding, the range checks that
// replace silent wraparound with an error naming the layer, scale autotuning, and agreement
// with the float model on the trained MNIST CNN.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { programFromJson, programToJson } from '../../src/fixed/program.js';
import {
  chooseScale,
  compileFixedPoint,
  FixedPointError,
  fixedPointLimit,
  GraphBuilder,
  importOnnx,
  MNIST_FIXED_POINT,
  mnistCnn,
  mnistDigit,
  runFixedPoint,
  runFloat,
  validateGraph,
} from '../../src/index.js';
import { seededRandom } from '../helpers.js';
import { argmax, heldOutDigits } from '../mnist-data.js';

const kinds = (m: ReturnType<typeof compileFixedPoint>) =>
  m.program.steps.map((s) => (s.kind === 'trunc' && s.nonNegative ? 'trunc+' : s.kind));

describe('fixed-point compiler', () => {
  const mnist = validateGraph(mnistCnn());

  it('moves ReLU after maxpool and truncates after the chain, non-negatively', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 12 });
    expect(kinds(m)).toEqual([
      'conv',
      'maxpool',
      'relu',
      'trunc+',
      'conv',
      'maxpool',
      'reshape',
      'relu',
      'trunc+',
      'gemm',
      'trunc',
    ]);
  });

  it('folds a batch norm into its conv, keeps one after a concat as an affine step', () => {
    const g = validateGraph(
      importOnnx(readFileSync(new URL('../../fixtures/tiny-fire.onnx', import.meta.url))),
    );
    const m = compileFixedPoint(g, { ell: 32, scale: 10 });
    expect(g.order.filter((n) => n.kind === 'batchnorm').length).toBeGreaterThanOrEqual(1);
    expect(kinds(m).filter((k) => k === 'affine')).toHaveLength(1);
    const affine = m.program.steps.find((s) => s.kind === 'affine')!;
    expect(m.program.steps[m.program.steps.indexOf(affine) - 1]!.kind).toBe('concat');
  });

  it('moves a batch norm through its ReLU into the next conv or gemm: ±1 at scale 0, no truncation', () => {
    // x → bn1 → relu → conv (bn1 not foldable: nothing before it), then bn2 → relu → maxpool
    // → global pool → flatten → fc. Half the γ are negative, so σ = −1 is exercised.
    const random = seededRandom(7);
    const b = new GraphBuilder({ name: 'x', shape: [1, 3, 8, 8] }, (name, shape) =>
      Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, (_, i) => {
        if (name.endsWith('.scale')) return (i % 2 ? -1 : 1) * (1 + 0.5 * random());
        if (name.endsWith('.variance')) return 1 + 0.5 * random();
        return 0.5 * random();
      }),
    );
    const h = b.relu('relu1', b.batchNorm('bn1', 'x'));
    const c = b.conv('conv', h, 4, 3, { pad: 1 });
    const t = b.relu('relu2', b.batchNorm('bn2', b.concat('cat', [c, 'x'])));
    const out = b.fc('fc', b.globalAvgPoolFlat('gap', b.maxPool('pool', t, 2)), 5);
    const g = validateGraph(b.build([out]));
    const m = compileFixedPoint(g, { ell: 32, scale: 12 });
    expect(kinds(m)).toEqual([
      'affine', // bn1: σ·x + b/|a|, already at scale s
      'relu',
      'conv',
      'trunc',
      'concat',
      'affine', // bn2, the same across the pools into fc
      'relu',
      'maxpool',
      'globalavgpool',
      'reshape',
      'gemm',
      'trunc',
    ]);
    const bn1 = m.weights.get('bn1')!;
    expect([...bn1.weight].sort()).toEqual([-1, 1, 1]);
    const x = Float32Array.from({ length: 3 * 64 }, random);
    const f = runFloat(g, { x })[out]!.data;
    const q = runFixedPoint(m, { x })[out]!;
    for (let i = 0; i < 5; i++) expect(Math.abs(q[i]! / 4096 - f[i]!)).toBeLessThan(0.01);
  });

  it('runs a residual block at 2s through its add and ReLU: one non-negative truncation', () => {
    // Two bottleneck-like blocks: the first with a conv shortcut (its product joins the sum
    // untruncated), the second with an identity shortcut (lifted by 2^s).
    const random = seededRandom(3);
    const b = new GraphBuilder({ name: 'x', shape: [1, 4, 6, 6] }, (name, shape) =>
      Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () =>
        name.endsWith('.variance') ? 1 + 0.2 * random() : 0.4 * (random() - 0.5),
      ),
    );
    const stem = b.relu('stem.relu', b.convBn('stem', 'x', 8, 3, { pad: 1 }));
    const a1 = b.convBn('a1', b.relu('a0.relu', b.convBn('a0', stem, 8, 3, { pad: 1 })), 16, 1);
    const block1 = b.relu('block1', b.sum('add1', a1, b.convBn('short', stem, 16, 1)));
    const a2 = b.convBn('a2', block1, 16, 3, { pad: 1 });
    const block2 = b.relu('block2', b.sum('add2', a2, block1));
    const out = b.fc('fc', b.globalAvgPoolFlat('gap', block2), 3);
    const g = validateGraph(b.build([out]));
    const m = compileFixedPoint(g, { ell: 32, scale: 10 });
    expect(kinds(m)).toEqual([
      'conv',
      'relu',
      'trunc+', // stem
      'conv',
      'relu',
      'trunc+', // a0
      'conv', // a1, at 2s
      'conv', // the shortcut's product, at 2s, no truncation of its own
      'add',
      'relu',
      'trunc+', // block1
      'conv', // a2
      'scaleup', // block1 lifted to 2s
      'add',
      'relu',
      'trunc+', // block2
      'globalavgpool',
      'reshape',
      'gemm',
      'trunc',
    ]);
    const x = Float32Array.from({ length: 4 * 36 }, () => random() - 0.5);
    const f = runFloat(g, { x })[out]!.data;
    const q = runFixedPoint(m, { x })[out]!;
    for (let i = 0; i < 3; i++) expect(Math.abs(q[i]! / 1024 - f[i]!)).toBeLessThan(0.02);
  });

  it('quantises weights at s and biases at 2s, and rejects a scale ℓ cannot hold', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 8 });
    const conv1 = mnist.order.find((n) => n.kind === 'conv')!;
    if (conv1.kind !== 'conv') throw new Error('unreachable');
    const w = m.weights.get(conv1.name)!;
    expect(w.weight[0]).toBe(Math.round(conv1.weight.data[0]! * 256));
    expect(w.bias![0]).toBe(Math.round(conv1.bias!.data[0]! * 65536));
    expect(() => compileFixedPoint(mnist, { ell: 32, scale: 16 })).toThrow(FixedPointError);
    expect(() => compileFixedPoint(mnist, { ell: 32, scale: 16 })).toThrow(
      expect.objectContaining({ code: 'FIXED_POINT_RANGE' }),
    );
  });

  it('declares weight width ℓ by default (public policy), checks a declared bound and names the layer a narrower one cannot hold', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 12 });
    expect(m.program.weightBits).toBe(32); // the narrowest fit would reveal ⌈log2 max |w|⌉
    let widest = 0;
    for (const step of m.program.steps) {
      if (step.kind !== 'conv' && step.kind !== 'gemm' && step.kind !== 'affine') continue;
      for (const w of m.weights.get(step.name)!.weight) widest = Math.max(widest, Math.abs(w));
    }
    // The narrowest signed width b with every |w| ≤ 2^(b−1) (two's complement).
    let b = 2;
    while (widest > 2 ** (b - 1)) b++;
    expect(compileFixedPoint(mnist, { ell: 32, scale: 12, weightBits: b }).program.weightBits).toBe(
      b,
    );
    expect(MNIST_FIXED_POINT['he-field'].weightBits).toBeGreaterThanOrEqual(b);
    expect(() => compileFixedPoint(mnist, { ell: 32, scale: 12, weightBits: b - 1 })).toThrow(
      /weights need \d+ signed bits.*weightBits = /,
    );
    expect(() => compileFixedPoint(mnist, { ell: 32, scale: 12, weightBits: 33 })).toThrow(
      FixedPointError,
    );
  });

  it('a declared weightBound in real units gives b = log2 B + s + 1 at any scale, checked', () => {
    for (const scale of [8, 12]) {
      const m = compileFixedPoint(mnist, { ell: 32, scale, weightBound: 2 });
      expect(m.program.weightBits).toBe(scale + 2);
    }
    // Capped at ℓ; a bound below the weights names the layer; bad declarations are refused.
    expect(
      compileFixedPoint(mnist, { ell: 20, scale: 9, weightBound: 2 ** 12 }).program.weightBits,
    ).toBe(20);
    expect(() => compileFixedPoint(mnist, { ell: 32, scale: 12, weightBound: 2 ** -6 })).toThrow(
      /weights need \d+ signed bits/,
    );
    expect(() => compileFixedPoint(mnist, { ell: 32, scale: 12, weightBound: 3 })).toThrow(
      /power of two/,
    );
    expect(() =>
      compileFixedPoint(mnist, { ell: 32, scale: 12, weightBound: 2, weightBits: 14 }),
    ).toThrow(/not both/);
  });

  it('keeps the public program free of weights', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 12 });
    const text = JSON.stringify(m.program);
    expect(text.length).toBeLessThan(10_000);
    expect(text).not.toContain('weight":');
  });

  it('sends conv geometry in its JSON form and parses it back to the same program', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 12 });
    const text = programToJson(m.program);
    expect(text).toContain('"geometry":{"n":1,"c":1,"h":28,"w":28,"m":');
    expect(programFromJson(text)).toEqual(m.program);
  });
});

describe('cleartext fixed-point executor', () => {
  const mnist = validateGraph(mnistCnn());

  it('agrees with the float model on every held-out MNIST digit at ℓ = 32, s = 12', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 12 });
    let floatCorrect = 0;
    let fixedCorrect = 0;
    let disagree = 0;
    const digits = heldOutDigits();
    for (const d of digits) {
      const f = argmax(runFloat(mnist, { input: d.pixels }).logits!.data);
      const q = argmax(runFixedPoint(m, { input: d.pixels }).logits!);
      floatCorrect += Number(f === d.label);
      fixedCorrect += Number(q === d.label);
      disagree += Number(f !== q);
    }
    expect(digits).toHaveLength(2004);
    expect(disagree).toBe(0);
    expect(fixedCorrect).toBe(floatCorrect);
    expect(fixedCorrect / digits.length).toBeGreaterThan(0.96);
  });

  it('matches the float logits to within the quantisation error', () => {
    const m = compileFixedPoint(mnist, { ell: 32, scale: 12 });
    const x = mnistDigit(3);
    const f = runFloat(mnist, { input: x }).logits!.data;
    const q = runFixedPoint(m, { input: x }).logits!;
    for (let i = 0; i < 10; i++) expect(Math.abs(q[i]! / 4096 - f[i]!)).toBeLessThan(0.05);
  });

  it('stops with an error naming the layer instead of wrapping around', () => {
    // y = 1000 · x: at s = 14 and ℓ = 32 the product reaches 2^(2·14) · 1000 > 2^31.
    const b = new GraphBuilder({ name: 'x', shape: [1, 4] }, (name, shape) =>
      Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () =>
        name.endsWith('weight') ? 1000 : 0,
      ),
    );
    const g = validateGraph(b.build([b.fc('big', 'x', 2)]));
    const m = compileFixedPoint(g, { ell: 32, scale: 14 });
    expect(() => runFixedPoint(m, { x: new Float32Array([0.5, 0.5, 0.5, 0.5]) })).toThrow(
      /layer 'big'.*beyond.*ℓ = 32/,
    );
    expect(fixedPointLimit(32)).toBe((4293918721 - 1) / 2);
  });
});

describe('scale autotuning', () => {
  it('picks the largest scale that fits with a margin, and names the layer when none does', () => {
    const mnist = validateGraph(mnistCnn());
    const calibration = [0, 1, 2].map((d) => ({ input: mnistDigit(d) }));
    const { scale, model } = chooseScale(mnist, calibration, { ell: 32 });
    expect(scale).toBe(model.program.scale);
    // Larger scales overflow (with the 1-bit margin) on the same inputs.
    const larger = compileFixedPoint(mnist, { ell: 32, scale: scale + 1 });
    expect(() => {
      for (const c of calibration) runFixedPoint(larger, c, { marginBits: 1 });
    }).toThrow(FixedPointError);
    expect(scale).toBeGreaterThanOrEqual(10);

    const b = new GraphBuilder({ name: 'x', shape: [1, 2] }, (_, shape) =>
      new Float32Array(shape.reduce((p, q) => p * q, 1)).fill(3e6),
    );
    const huge = validateGraph(b.build([b.fc('huge', 'x', 2)]));
    expect(() => chooseScale(huge, [{ x: new Float32Array([1, 1]) }], { ell: 32 })).toThrow(
      /layer 'huge'.*no scale from 15 down to 4 fits ℓ = 32/,
    );
  });
});
