/**
 * Batch norm's scaling of additive shares over Z_n on BFV (an elementwise product): the
 * public entry point; the packing is plans/bn.ts, the protocol protocols/engine.ts.
 */
import { type BnLayer, checkBnLayer } from '../cleartext.js';
import type { HeContext } from '../context.js';
import { checkShares } from '../plans/plan.js';
import { runLinear } from './engine.js';

/**
 * Batch norm's scaling of shares over Z_n: x is [batch, channels, spatial]; the SERVER passes
 * `scale` [channels]. Returns this party's share of scale[c]·x (the server adds the shift).
 */
export async function heBatchNorm(
  ctx: HeContext,
  layer: BnLayer,
  x: Float64Array,
  scale?: Float64Array,
): Promise<Float64Array> {
  const session = ctx.he;
  checkBnLayer(layer);
  const { batch, channels, spatial } = layer;
  checkShares(
    session,
    x,
    batch * channels * spatial,
    'batch-norm input',
    scale,
    channels,
    'batch-norm scale',
  );
  return runLinear(session, { kind: 'bn', layer }, x, scale);
}
