/**
 * Fully-connected layer of additive shares over Z_n on BFV (Gazelle's hybrid diagonal
 * method): the public entry point; the packing is plans/fc.ts, the protocol protocols/engine.ts.
 */
import type { FcLayer } from '@secinfer/mpc-primitives';
import type { HeContext } from '../context.js';
import { fcGeometry } from '../plans/fc.js';
import { checkShares } from '../plans/plan.js';
import { runLinear } from './engine.js';

/**
 * Fully-connected layer of shares over Z_n: x is [batch, inFeatures]; the SERVER passes the
 * weights [outFeatures, inFeatures]. Returns this party's share of [batch, outFeatures].
 */
export async function heFullyConnected(
  ctx: HeContext,
  layer: FcLayer,
  x: Float64Array,
  weights?: Float64Array,
): Promise<Float64Array> {
  const session = ctx.he;
  fcGeometry(layer);
  const { batch, inFeatures: I, outFeatures: O } = layer;
  checkShares(session, x, batch * I, 'fc input', weights, O * I, 'fc weights');
  return runLinear(session, { kind: 'fc', layer }, x, weights);
}
