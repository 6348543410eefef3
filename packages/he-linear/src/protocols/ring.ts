/**
 * The layers over Z_2^ℓ (Cheetah's HomConv, HomFC, HomBN) in the project's ring layout
 * (@secinfer/mpc-primitives ring.ts: one u32 word per value up to 32 bits, two above) on a
 * ring session (ringHeParamsFor). The protocol and the plans are the field's, on the session's
 * ring domain; here the shares and weights change layout, and the server's weights are checked
 * against the public bound the noise plan assumed (params.weightBits), before any I/O.
 */
import {
  type ConvLayer,
  type FcLayer,
  type Ring,
  ring,
  ringFromUnsigned,
  ringToUnsigned,
} from '@secinfer/mpc-primitives';
import type { BnLayer } from '../cleartext.js';
import type { HeContext } from '../context.js';
import { HeShapeError } from '../errors.js';
import { heBatchNorm } from './bn.js';
import { heConv2d } from './conv.js';
import { heFullyConnected } from './fc.js';

/** The session's ring, or a HeShapeError for a field session. */
function sessionRing(ctx: HeContext): Ring {
  const { domain, params } = ctx.he;
  if (domain.kind !== 'ring')
    throw new HeShapeError('the ring layers need a ring session (ringHeParamsFor), not the field');
  return ring(Math.log2(params.plainModulus));
}

/** The weights as values in [0, 2^ℓ), each checked to be a signed weightBits-bit integer. */
function weightValues(
  ctx: HeContext,
  r: Ring,
  w: Uint32Array | undefined,
): Float64Array | undefined {
  if (w === undefined) return undefined;
  const values = ringToUnsigned(r, w);
  const bits = ctx.he.params.weightBits ?? r.ell;
  const [t, bound] = [2 ** r.ell, 2 ** (bits - 1)];
  for (let i = 0; i < values.length; i++) {
    const centred = values[i]! >= t / 2 ? values[i]! - t : values[i]!;
    if (centred < -bound || centred >= bound)
      throw new HeShapeError(
        `weight ${i} (${centred}) is not a signed ${bits}-bit integer (params.weightBits)`,
      );
  }
  return values;
}

/** Runs a Z_n-style layer on a ring session, the shares and weights in the ring layout. */
async function inRing(
  ctx: HeContext,
  x: Uint32Array,
  weights: Uint32Array | undefined,
  layer: (x: Float64Array, weights: Float64Array | undefined) => Promise<Float64Array>,
): Promise<Uint32Array> {
  const r = sessionRing(ctx);
  return ringFromUnsigned(r, await layer(ringToUnsigned(r, x), weightValues(ctx, r, weights)));
}

/**
 * Convolution of shares over Z_2^ℓ (NCHW, groups = 1, any stride and padding): the SERVER
 * passes the weights [M, C, kh, kw], the CLIENT none. Returns this party's share of [N, M, OH, OW].
 */
export const heConv2dRing = (
  ctx: HeContext,
  layer: ConvLayer,
  x: Uint32Array,
  weights?: Uint32Array,
): Promise<Uint32Array> => inRing(ctx, x, weights, (xs, ws) => heConv2d(ctx, layer, xs, ws));

/** Fully-connected layer of shares over Z_2^ℓ: x [batch, in], the SERVER's weights [out, in]. */
export const heFullyConnectedRing = (
  ctx: HeContext,
  layer: FcLayer,
  x: Uint32Array,
  weights?: Uint32Array,
): Promise<Uint32Array> =>
  inRing(ctx, x, weights, (xs, ws) => heFullyConnected(ctx, layer, xs, ws));

/** Batch norm's scaling of shares over Z_2^ℓ: the SERVER passes `scale` [channels]. */
export const heBatchNormRing = (
  ctx: HeContext,
  layer: BnLayer,
  x: Uint32Array,
  scale?: Uint32Array,
): Promise<Uint32Array> => inRing(ctx, x, scale, (xs, ss) => heBatchNorm(ctx, layer, xs, ss));
