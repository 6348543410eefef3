// The float kernels against direct textbook loops on random data: grouped, strided, dilated,
// asymmetrically padded convolution (including 1x1 and 7x7 stride-2 patches) and batched gemm.
import { describe, expect, it } from 'vitest';
import { type ConvNode, runFloat, validateGraph } from '../src/index.js';
import { maxDiff, randomArray } from './helpers.js';

function directConv(x: Float32Array, xs: number[], node: ConvNode, os: number[]): Float64Array {
  const [n, c, h, w] = xs as [number, number, number, number];
  const [m, cg, kh, kw] = node.weight.shape as [number, number, number, number];
  const [, , oh, ow] = os as [number, number, number, number];
  const mg = m / node.group;
  const out = new Float64Array(n * m * oh * ow);
  for (let b = 0; b < n; b++)
    for (let o = 0; o < m; o++)
      for (let y = 0; y < oh; y++)
        for (let xx = 0; xx < ow; xx++) {
          let acc = node.bias ? node.bias.data[o]! : 0;
          const g = Math.floor(o / mg);
          for (let ci = 0; ci < cg; ci++)
            for (let ky = 0; ky < kh; ky++)
              for (let kx = 0; kx < kw; kx++) {
                const iy = y * node.strides[0] - node.pads[0] + ky * node.dilations[0];
                const ix = xx * node.strides[1] - node.pads[1] + kx * node.dilations[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                acc +=
                  x[((b * c + g * cg + ci) * h + iy) * w + ix]! *
                  node.weight.data[((o * cg + ci) * kh + ky) * kw + kx]!;
              }
          out[((b * m + o) * oh + y) * ow + xx] = acc;
        }
  return out;
}

describe('float conv kernel', () => {
  const cases: [string, Partial<ConvNode>, number[], number[]][] = [
    [
      '3x3 grouped, strided, dilated, asymmetric pads',
      { strides: [2, 1], pads: [1, 0, 2, 1], dilations: [2, 1], group: 2 },
      [2, 4, 9, 8],
      [6, 2, 3, 3],
    ],
    ['1x1 pointwise, batch 2', {}, [2, 5, 6, 7], [9, 5, 1, 1]],
    [
      '7x7 stride 2 pad 3, 5 output channels (row-blocking remainder)',
      { strides: [2, 2], pads: [3, 3, 3, 3] },
      [1, 3, 15, 15],
      [5, 3, 7, 7],
    ],
  ];
  for (const [label, attrs, xs, ws] of cases) {
    it(label, () => {
      const node: ConvNode = {
        kind: 'conv',
        name: 'c',
        inputs: ['x'],
        output: 'y',
        weight: {
          shape: ws,
          data: randomArray(
            ws.reduce((a, b) => a * b, 1),
            1,
          ),
        },
        bias: { shape: [ws[0]!], data: randomArray(ws[0]!, 2) },
        strides: [1, 1],
        pads: [0, 0, 0, 0],
        dilations: [1, 1],
        group: 1,
        ...attrs,
      };
      const x = randomArray(
        xs.reduce((a, b) => a * b, 1),
        3,
      );
      const v = validateGraph({
        inputs: [{ name: 'x', shape: xs }],
        nodes: [node],
        outputs: ['y'],
      });
      const y = runFloat(v, { x }).y!;
      const { abs } = maxDiff(y.data, directConv(x, xs, node, [...y.shape]));
      expect(abs).toBeLessThan(1e-12);
    });
  }
});

describe('float gemm kernel', () => {
  it('matches a direct product on a batch of 3', () => {
    const [m, k, n] = [3, 7, 5];
    const x = randomArray(m * k, 4);
    const w = randomArray(n * k, 5);
    const b = randomArray(n, 6);
    const v = validateGraph({
      inputs: [{ name: 'x', shape: [m, k] }],
      nodes: [
        {
          kind: 'gemm',
          name: 'fc',
          inputs: ['x'],
          output: 'y',
          weight: { shape: [n, k], data: w },
          bias: { shape: [n], data: b },
        },
      ],
      outputs: ['y'],
    });
    const y = runFloat(v, { x }).y!;
    const want = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        want[i * n + j] = b[j]!;
        for (let kk = 0; kk < k; kk++) want[i * n + j]! += x[i * k + kk]! * w[j * k + kk]!;
      }
    expect(maxDiff(y.data, want).abs).toBeLessThan(1e-12);
  });
});
