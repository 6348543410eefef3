/** Shared bench setup: the OT pack (base OTs, outside the timed section; --ot iknp|silent) and random shares. */
import type { OpContext } from '@secinfer/bench';
import { OtPack } from '@secinfer/ot';
import { type PartyContext, partyContext } from '../src/context.js';
import { CLIENT, SERVER } from '../src/party.js';
import { randomBits, ringRandom } from '../src/random.js';
import { ring } from '../src/ring.js';

/** The bench harness's process role as a protocol party. */
export const partyOf = (ctx: OpContext) => (ctx.role === 'server' ? SERVER : CLIENT);

/** The pack's OT source: --ot, IKNP/KK13 by default (the figures the reference is compared with). */
export const otOptions = (ctx: OpContext) => ({ ot: ctx.args.ot ?? 'iknp' }) as const;

export async function setupParty(ctx: OpContext): Promise<PartyContext> {
  return partyContext(await OtPack.setup(partyOf(ctx), ctx.channel, otOptions(ctx)));
}

/** This party's random share of n ℓ-bit values (uniform shares are what protocols see). */
export function randomShares(n: number, ell: number): Uint32Array {
  return ringRandom(ring(ell), n);
}

export { randomBits };
