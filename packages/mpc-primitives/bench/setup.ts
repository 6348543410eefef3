/** Shared bench setup: the OT pack (base OTs, outside the timed section) and random shares. */
import type { OpContext } from '@secinfer/bench';
import { OtPack } from '@secinfer/ot';
import { CLIENT, type Party, SERVER } from '../src/party.js';
import { otPortOf } from '../src/protocols/ot-pack-port.js';
import type { OtPort } from '../src/protocols/ot-port.js';
import { randomBits, ringRandom } from '../src/random.js';
import { ring } from '../src/ring.js';

export interface ProtocolContext {
  party: Party;
  ot: OtPort;
}

export async function setupParty(ctx: OpContext): Promise<ProtocolContext> {
  const pack = await OtPack.setup(ctx.channel, ctx.role);
  return { party: ctx.role === 'server' ? SERVER : CLIENT, ot: otPortOf(pack) };
}

/** This party's random share of n ℓ-bit values (uniform shares are what protocols see). */
export function randomShares(n: number, ell: number): Uint32Array {
  return ringRandom(ring(ell), n);
}

export { randomBits };
