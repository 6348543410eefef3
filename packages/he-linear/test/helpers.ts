/** Test helpers: a pair of HE sessions over an in-memory channel, random shares and weights. */
import {
  CLIENT,
  type ConvLayer,
  type Field,
  field,
  fieldAdd,
  fieldRandom,
  fieldSub,
  SERVER,
} from '@secinfer/mpc-primitives';
import { idealOtPair } from '@secinfer/mpc-primitives/ideal';
import { type Channel, memoryPair } from '@secinfer/transport';
import type { HeContext } from '../src/context.js';
import { type HeParams, heParamsFor } from '../src/params.js';
import { HeSession } from '../src/session.js';

export interface SessionPair {
  server: HeSession;
  client: HeSession;
  serverChannel: Channel;
  clientChannel: Channel;
  f: Field;
}

/** Both parties' sessions for `params` (field or ring), over one in-memory channel pair. */
export async function setupPair(
  params: HeParams,
  serverOptions: { threads?: number } = {},
): Promise<Omit<SessionPair, 'f'>> {
  const [serverChannel, clientChannel] = memoryPair();
  const [server, client] = await Promise.all([
    HeSession.setup(SERVER, serverChannel, params, serverOptions),
    HeSession.setup(CLIENT, clientChannel, params),
  ]);
  return { server, client, serverChannel, clientChannel };
}

/** Both parties' field sessions for ℓ. */
export async function sessionPair(ell: 32 | 37): Promise<SessionPair> {
  const params = heParamsFor(ell);
  return { ...(await setupPair(params)), f: field(params.plainModulus) };
}

/** A value and its two additive shares. */
export function shares(
  f: Field,
  n: number,
): { x: Float64Array; x0: Float64Array; x1: Float64Array } {
  const x = fieldRandom(f, n);
  const x0 = fieldRandom(f, n);
  return { x, x0, x1: fieldSub(f, x, x0) };
}

export const reconstruct = (f: Field, a: Float64Array, b: Float64Array) => fieldAdd(f, a, b);

/**
 * The context of a session set up in a test, on the session's own party and channel. The HE
 * layers use no OT, so an unconnected ideal port fills the slot.
 */
export function contextOf(session: HeSession): HeContext {
  return { party: session.party, channel: session.channel, ot: idealOtPair()[0], he: session };
}

/** A convolution's shape, positionally: channels, height, width, outputs, kernel, strides, pads. */
export const convLayer = (
  c: number,
  h: number,
  w: number,
  m: number,
  k: [number, number],
  s: [number, number],
  pads: [number, number, number, number],
  batch = 1,
): ConvLayer => ({
  batch,
  inChannels: c,
  height: h,
  width: w,
  outChannels: m,
  kernel: k,
  strides: s,
  pads,
});
