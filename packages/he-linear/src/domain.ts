/**
 * The plaintext space a session's shares live in: the field Z_n (CrypTFlow2's SCI_HE, t = n
 * a batching prime) or the ring Z_2^ℓ (Cheetah, t = 2^ℓ, coefficient encoding only). The
 * engine and the plans see only this: masks, the server's local half, and the public bound on
 * a weight's size that the noise plan multiplies by — so one protocol serves both.
 */
import {
  type ConvLayer,
  type FcLayer,
  field,
  fieldRandom,
  fieldSub,
} from '@secinfer/mpc-primitives';
import { type BnLayer, bnField, conv2dField, fcField } from './cleartext.js';
import type { HeParams } from './params.js';
import { isRingParams } from './params.js';
import { bnRing, conv2dRing, ringRandomValues, ringSubValues } from './ring-cleartext.js';

/** The arithmetic of a session's plaintext modulus t, on doubles in [0, t). */
export interface PlainDomain {
  readonly kind: 'field' | 'ring';
  /** The plaintext modulus t: the prime n, or 2^ℓ. */
  readonly modulus: number;
  /** log2 of a public bound on a weight's centred magnitude (the noise grows by it). */
  readonly weightNormBits: number;
  random(n: number): Float64Array;
  sub(a: Float64Array, b: Float64Array): Float64Array;
  conv(layer: ConvLayer, x: Float64Array, w: Float64Array): Float64Array;
  fc(layer: FcLayer, x: Float64Array, w: Float64Array): Float64Array;
  bn(layer: BnLayer, x: Float64Array, scale: Float64Array): Float64Array;
}

/** An FC layer as the 1×1 convolution of a 1×1 image with inFeatures channels (Cheetah's HomFC). */
export const fcAsConv = (layer: FcLayer): ConvLayer => ({
  batch: layer.batch,
  inChannels: layer.inFeatures,
  height: 1,
  width: 1,
  outChannels: layer.outFeatures,
  kernel: [1, 1],
  strides: [1, 1],
  pads: [0, 0, 0, 0],
});

/** The domain of `params`. */
export function plainDomain(params: HeParams): PlainDomain {
  const t = params.plainModulus;
  if (isRingParams(params)) {
    const ell = Math.log2(t);
    return {
      kind: 'ring',
      modulus: t,
      weightNormBits: (params.weightBits ?? ell) - 1,
      random: (n) => ringRandomValues(ell, n),
      sub: (a, b) => ringSubValues(t, a, b),
      conv: (layer, x, w) => conv2dRing(t, layer, x, w),
      fc: (layer, x, w) => conv2dRing(t, fcAsConv(layer), x, w),
      bn: (layer, x, scale) => bnRing(t, layer, x, scale),
    };
  }
  const f = field(t);
  return {
    kind: 'field',
    modulus: t,
    weightNormBits: Math.log2(t) - 1,
    random: (n) => fieldRandom(f, n),
    sub: (a, b) => fieldSub(f, a, b),
    conv: (layer, x, w) => conv2dField(f, layer, x, w),
    fc: (layer, x, w) => fcField(f, layer, x, w),
    bn: (layer, x, scale) => bnField(f, layer, x, scale),
  };
}
