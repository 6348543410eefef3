/**
 * A layer as plain data (what a worker thread receives) and its plan. Keeping the layer
 * description serializable lets every worker rebuild the same packing from it.
 */
import type { ConvLayer, FcLayer } from '@secinfer/mpc-primitives';
import type { BnLayer } from '../cleartext.js';
import { fcAsConv } from '../domain.js';
import { HeShapeError } from '../errors.js';
import type { HeSession } from '../session.js';
import { bnPlan } from './bn.js';
import { coefficientBnPlan } from './bn-coefficients.js';
import { convPlan } from './conv.js';
import { coefficientConvPlan } from './conv-coefficients.js';
import { fcPlan } from './fc.js';
import type { Encoding, LinearPlan } from './plan.js';

/** One linear layer, by kind. */
export type LayerSpec =
  | { kind: 'conv'; layer: ConvLayer; encoding: Encoding }
  | { kind: 'fc'; layer: FcLayer }
  | { kind: 'bn'; layer: BnLayer };

/**
 * The plan of `spec` on `session`. The ring (t = 2^ℓ) has coefficient plans only: conv, FC as
 * a 1×1 conv, and batch norm's own.
 */
export function planOf(session: HeSession, spec: LayerSpec): LinearPlan {
  if (session.domain.kind === 'ring') {
    if (spec.kind === 'conv' && spec.encoding !== 'coefficients')
      throw new HeShapeError("the ring Z_2^ℓ has no SIMD slots: use encoding 'coefficients'");
    if (spec.kind === 'bn') return coefficientBnPlan(session, spec.layer);
    return coefficientConvPlan(session, spec.kind === 'fc' ? fcAsConv(spec.layer) : spec.layer);
  }
  if (spec.kind === 'conv')
    return spec.encoding === 'coefficients'
      ? coefficientConvPlan(session, spec.layer)
      : convPlan(session, spec.layer);
  if (spec.kind === 'fc') return fcPlan(session, spec.layer);
  return bnPlan(session, spec.layer);
}
