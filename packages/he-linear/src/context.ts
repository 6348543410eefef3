/**
 * The first argument of every he-linear protocol: the party's context of
 * @secinfer/mpc-primitives ({ party, channel, ot }, the one shape of every protocol) with the
 * HE session in it. `heContext` sets the session up on the context's own party and channel,
 * so the layer's messages and the keys cannot belong to two different connections. The HE
 * layers use no OT; the context carries it so that a caller passes one object to every layer.
 */
import type { PartyContext } from '@secinfer/mpc-primitives';
import type { HeParams } from './params.js';
import { HeSession } from './session.js';

/** A party's context with its BFV keys and evaluators. */
export interface HeContext extends PartyContext {
  readonly he: HeSession;
}

/** Runs the HE key setup (`HeSession.setup`) on `ctx`'s party and channel. */
export async function heContext(
  ctx: PartyContext,
  params: HeParams,
  options: { threads?: number } = {},
): Promise<HeContext> {
  return { ...ctx, he: await HeSession.setup(ctx.party, ctx.channel, params, options) };
}
