/**
 * The cleartext Z_n convolution (the oracle of every HE test and the server's local half)
 * against a BigInt reference: random field weights (the digit path) and small signed weights
 * (the one-reduction path the networks take), with strides and padding, at both primes.
 */

import { type ConvLayer, convOutputSize, field, fieldRandom } from '@secinfer/mpc-primitives';
import { describe, expect, it } from 'vitest';
import { conv2dField } from '../src/cleartext.js';
import { heParamsFor } from '../src/params.js';

function reference(n: number, l: ConvLayer, x: Float64Array, w: Float64Array): Float64Array {
  const [OH, OW] = convOutputSize(l);
  const [kh, kw] = l.kernel;
  const N = BigInt(n);
  const out = new Float64Array(l.batch * l.outChannels * OH * OW);
  for (let b = 0; b < l.batch; b++)
    for (let m = 0; m < l.outChannels; m++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let sum = 0n;
          for (let c = 0; c < l.inChannels; c++)
            for (let dy = 0; dy < kh; dy++)
              for (let dx = 0; dx < kw; dx++) {
                const ih = oh * l.strides[0] + dy - l.pads[0];
                const iw = ow * l.strides[1] + dx - l.pads[1];
                if (ih < 0 || ih >= l.height || iw < 0 || iw >= l.width) continue;
                const xv = x[((b * l.inChannels + c) * l.height + ih) * l.width + iw]!;
                const wv = w[((m * l.inChannels + c) * kh + dy) * kw + dx]!;
                sum += BigInt(xv) * BigInt(wv);
              }
          out[((b * l.outChannels + m) * OH + oh) * OW + ow] = Number(sum % N);
        }
  return out;
}

describe('conv2dField', () => {
  const layer: ConvLayer = {
    batch: 2,
    inChannels: 3,
    height: 9,
    width: 8,
    outChannels: 4,
    kernel: [3, 2],
    strides: [2, 1],
    pads: [1, 0, 2, 1],
  };
  for (const ell of [32, 37] as const) {
    const f = field(heParamsFor(ell).plainModulus);
    const x = fieldRandom(f, 2 * 3 * 9 * 8);
    it(`ℓ = ${ell}: random field weights`, () => {
      const w = fieldRandom(f, 4 * 3 * 3 * 2);
      expect(conv2dField(f, layer, x, w)).toEqual(reference(f.n, layer, x, w));
    });
    it(`ℓ = ${ell}: small signed weights, extremes included`, () => {
      const signed = [0, 1, -1, 2 ** 14, -(2 ** 14), 12345, -6789];
      const w = Float64Array.from({ length: 4 * 3 * 3 * 2 }, (_, i) => {
        const v = signed[i % signed.length]!;
        return v < 0 ? v + f.n : v;
      });
      const edge = x.slice();
      edge[0] = f.n - 1;
      edge[1] = (f.n - 1) / 2;
      expect(conv2dField(f, layer, edge, w)).toEqual(reference(f.n, layer, edge, w));
    });
  }
});
