// Zoo networks built with the IR: the published layer shapes, and a float run on seeded
// random weights (the library draws none; the initialiser here is test code).
import { describe, expect, it } from 'vitest';
import {
  type ModelGraph,
  miniONN,
  resNet32,
  runFloat,
  validateGraph,
  type WeightInit,
} from '../src/index.js';
import { randomArray, seededRandom } from './helpers.js';

/** He-style scaled weights; batch-norm variances kept positive. */
function seededInit(seed: number): WeightInit {
  const next = seededRandom(seed);
  return (name, shape) => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (name.endsWith('.variance')) return Float32Array.from({ length: n }, () => 1 + 0.5 * next());
    const fanIn = shape.length > 1 ? n / shape[0]! : 1;
    return Float32Array.from({ length: n }, () => next() * Math.sqrt(3 / fanIn));
  };
}

const parameters = (g: ModelGraph) =>
  g.nodes.reduce(
    (sum, n) =>
      sum +
      (n.kind === 'conv' || n.kind === 'gemm'
        ? n.weight.data.length + (n.bias?.data.length ?? 0)
        : 0),
    0,
  );

describe('zoo', () => {
  it('MiniONN: 7 convolutions, two mean pools, 1024 -> 10 fully connected', () => {
    const g = miniONN(seededInit(1));
    const v = validateGraph(g);
    expect(v.shapes.get('pool2')).toEqual([1, 64, 8, 8]);
    expect(v.shapes.get('flatten')).toEqual([1, 1024]);
    expect(parameters(g)).toBe(164954);
    const y = runFloat(v, { input: randomArray(3 * 32 * 32, 2) }).fc!;
    expect(y.shape).toEqual([1, 10]);
    expect(y.data.every(Number.isFinite)).toBe(true);
  });

  it('ResNet32: 31 convolutions + 1 fully connected layer, 64 x 8 x 8 before pooling', () => {
    const g = resNet32(seededInit(3), 2);
    const v = validateGraph(g);
    const convs = g.nodes.filter((n) => n.kind === 'conv' && !n.name.includes('shortcut'));
    expect(convs.length).toBe(31);
    expect(v.shapes.get('stage3.block5.relu2')).toEqual([2, 64, 8, 8]);
    const y = runFloat(v, { input: randomArray(2 * 3 * 32 * 32, 4) }).fc!;
    expect(y.shape).toEqual([2, 10]);
    expect(y.data.every(Number.isFinite)).toBe(true);
    // Same seed, same weights, same output: the builder itself adds no randomness.
    const again = runFloat(validateGraph(resNet32(seededInit(3), 2)), {
      input: randomArray(2 * 3 * 32 * 32, 4),
    }).fc!;
    expect(Array.from(again.data)).toEqual(Array.from(y.data));
  });
});
