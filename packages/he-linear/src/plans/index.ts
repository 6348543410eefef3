/**
 * A layer as plain data (what a worker thread receives) and its plan. Keeping the layer
 * description serializable lets every worker rebuild the same packing from it.
 */
import type { ConvLayer, FcLayer } from '@secinfer/mpc-primitives';
import type { BnLayer } from '../cleartext.js';
import type { HeSession } from '../session.js';
import { bnPlan } from './bn.js';
import { convPlan } from './conv.js';
import { coefficientConvPlan } from './conv-coefficients.js';
import { fcPlan } from './fc.js';
import type { Encoding, LinearPlan } from './plan.js';

/** One linear layer, by kind. */
export type LayerSpec =
  | { kind: 'conv'; layer: ConvLayer; encoding: Encoding }
  | { kind: 'fc'; layer: FcLayer }
  | { kind: 'bn'; layer: BnLayer };

/** The plan of `spec` on `session`. */
export function planOf(session: HeSession, spec: LayerSpec): LinearPlan {
  if (spec.kind === 'conv')
    return spec.encoding === 'coefficients'
      ? coefficientConvPlan(session, spec.layer)
      : convPlan(session, spec.layer);
  if (spec.kind === 'fc') return fcPlan(session, spec.layer);
  return bnPlan(session, spec.layer);
}
