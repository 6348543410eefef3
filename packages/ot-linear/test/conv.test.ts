/**
 * conv2dServerWeights end to end on the real OT stack: reconstructed outputs equal the
 * cleartext NCHW convolution mod 2^ℓ (wraparound included) for 1 × 1 and larger kernels, odd
 * strides, asymmetric padding, dilation and batches; bytes equal the matmul formula on the
 * im2col shape; a layer that does not match the data fails before any I/O.
 */
import { SERVER } from '@secinfer/mpc-primitives';
import { describe, expect, it } from 'vitest';
import {
  type ConvLayer,
  conv2dServerWeights,
  convOutputSize,
  OtLinearError,
} from '../src/index.js';
import {
  both,
  convOracle,
  matmulBytes,
  randomValues,
  reconstruct,
  share,
  sharedSession,
  signedValues,
  toLayout,
  totalBytes,
} from './helpers.js';

const layer = (l: Partial<ConvLayer>): ConvLayer => ({
  batch: 1,
  inChannels: 1,
  height: 1,
  width: 1,
  outChannels: 1,
  kernel: [1, 1],
  strides: [1, 1],
  pads: [0, 0, 0, 0],
  ...l,
});

const LAYERS: [string, ConvLayer][] = [
  ['1 × 1 everything', layer({})],
  [
    '1 × 1 kernel, 3 → 4 channels, 3 × 5 image',
    layer({ inChannels: 3, height: 3, width: 5, outChannels: 4 }),
  ],
  [
    '3 × 3, stride 3, padding 1 (asymmetric), 2 → 3',
    layer({
      inChannels: 2,
      height: 7,
      width: 6,
      outChannels: 3,
      kernel: [3, 3],
      strides: [3, 3],
      pads: [1, 1, 0, 2],
    }),
  ],
  [
    '2 × 3 kernel, strides (1, 3), batch 2',
    layer({
      batch: 2,
      inChannels: 2,
      height: 5,
      width: 7,
      outChannels: 2,
      kernel: [2, 3],
      strides: [1, 3],
      pads: [0, 1, 1, 0],
    }),
  ],
  [
    '3 × 3, dilation 2, stride 1, padding 2',
    layer({
      inChannels: 1,
      height: 6,
      width: 6,
      outChannels: 5,
      kernel: [3, 3],
      pads: [2, 2, 2, 2],
      dilations: [2, 2],
    }),
  ],
  [
    '1 × 1 with stride 2 and batch 3',
    layer({ batch: 3, inChannels: 2, height: 4, width: 3, outChannels: 2, strides: [2, 2] }),
  ],
];

describe('conv2dServerWeights', () => {
  for (const [ell, bits] of [
    [32, 32],
    [37, 37],
    [32, 14],
    [37, 17],
  ] as const) {
    it.each(LAYERS)(
      `ℓ = ${ell}, weights of ${bits} bits: %s equals the convolution mod 2^ℓ; bytes = formula`,
      async (_name, l) => {
        const [oh, ow] = convOutputSize(l);
        const [kh, kw] = l.kernel;
        const x = randomValues(l.batch * l.inChannels * l.height * l.width, ell);
        const w = signedValues(l.outChannels * l.inChannels * kh * kw, bits, ell);
        const [x0, x1] = share(x, ell);
        const { results, bytes } = await both((p, ctx) =>
          conv2dServerWeights(
            ctx,
            l,
            ell,
            p === SERVER ? x0 : x1,
            p === SERVER ? toLayout(w, ell) : undefined,
            { weightBits: bits },
          ),
        );
        expect(reconstruct(results[0], results[1], ell)).toEqual(convOracle(x, w, l, ell));
        expect(bytes).toBe(
          matmulBytes(l.outChannels, l.inChannels * kh * kw, l.batch * oh * ow, ell, bits),
        );
      },
    );
  }

  it('convOutputSize: floor((H + pads − dilated kernel) / stride) + 1', () => {
    expect(
      convOutputSize(layer({ height: 224, width: 224, kernel: [3, 3], strides: [2, 2] })),
    ).toEqual([111, 111]);
    expect(
      convOutputSize(
        layer({ height: 7, width: 6, kernel: [3, 3], strides: [3, 3], pads: [1, 1, 0, 2] }),
      ),
    ).toEqual([2, 3]);
    expect(() => convOutputSize(layer({ height: 2, width: 2, kernel: [3, 3] }))).toThrow(
      OtLinearError,
    );
    expect(() => convOutputSize(layer({ strides: [0, 1] }))).toThrow(OtLinearError);
  });

  it('a layer that does not match the data is a typed error before any I/O', async () => {
    const { contexts } = await sharedSession();
    const before = await totalBytes();
    const l = layer({ inChannels: 2, height: 3, width: 3, outChannels: 2, kernel: [2, 2] });
    const x = new Uint32Array(18);
    const w = new Uint32Array(16);
    const cases: [string, () => Promise<unknown>][] = [
      ['x too long', () => conv2dServerWeights(contexts[0], l, 32, new Uint32Array(19), w)],
      [
        'weights for a 3 × 3 kernel',
        () => conv2dServerWeights(contexts[0], l, 32, x, new Uint32Array(36)),
      ],
      ['client with weights', () => conv2dServerWeights(contexts[1], l, 32, x, w)],
      ['server without weights', () => conv2dServerWeights(contexts[0], l, 32, x)],
      [
        'kernel larger than input',
        () => conv2dServerWeights(contexts[1], { ...l, kernel: [4, 4] }, 32, x),
      ],
      [
        'negative padding',
        () => conv2dServerWeights(contexts[1], { ...l, pads: [0, -1, 0, 0] }, 32, x),
      ],
    ];
    for (const [name, f] of cases) await expect(f(), name).rejects.toBeInstanceOf(OtLinearError);
    expect(await totalBytes()).toBe(before);
  });
});
