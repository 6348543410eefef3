/**
 * Convolution of additive shares on BFV: the public entry point. Coefficient encoding (the
 * default; plans/conv-coefficients.ts) or Gazelle's slot packing (plans/conv.ts), each
 * validated with its own geometry; the protocol is protocols/engine.ts.
 */
import type { ConvLayer } from '@secinfer/mpc-primitives';
import type { HeContext } from '../context.js';
import { convGeometry } from '../plans/conv.js';
import { coefficientConvGeometry } from '../plans/conv-coefficients.js';
import { checkShares, type Encoding } from '../plans/plan.js';
import { runLinear } from './engine.js';

/**
 * Convolution of shares over Z_n: both parties call it with their share x (NCHW); the SERVER
 * also passes the weights [M, C, kh, kw] (field elements), the CLIENT passes none. Returns
 * this party's share of the NCHW output [N, M, OH, OW] (no bias: the caller adds it).
 */
export async function heConv2d(
  ctx: HeContext,
  layer: ConvLayer,
  x: Float64Array,
  weights?: Float64Array,
  options: { encoding?: Encoding } = {},
): Promise<Float64Array> {
  const session = ctx.he;
  const encoding = options.encoding ?? 'coefficients';
  if (encoding === 'slots') convGeometry(layer);
  else coefficientConvGeometry(layer);
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  checkShares(
    session,
    x,
    batch * C * H * W,
    'conv input',
    weights,
    M * C * layer.kernel[0] * layer.kernel[1],
    'conv weights',
  );
  return runLinear(session, { kind: 'conv', layer, encoding }, x, weights);
}
