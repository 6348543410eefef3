/**
 * Both parties on the real OT stack over an in-memory channel, in either mode of the OtPack:
 * IKNP and KK13, or silent with small Ferret sets (a round of 16,384 COTs, so suites run many).
 */
import { OtPack } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport';
import { type PartyContext, partyContext } from '../../src/context.js';
import { CLIENT, SERVER } from '../../src/party.js';

export const FERRET = {
  main: { name: 'test-main', n: 64 * 256, t: 64, h: 8, k: 2048, d: 10 },
  bootstrap: { name: 'test-boot', n: 40 * 64, t: 40, h: 6, k: 600, d: 10 },
};

/** The two parties' channels, packs and protocol contexts, [server, client] each. */
export interface RealStack {
  readonly channels: [Channel, Channel];
  readonly packs: [OtPack, OtPack];
  readonly contexts: [PartyContext, PartyContext];
}

export async function realStack(mode: 'iknp' | 'silent'): Promise<RealStack> {
  const channels = memoryPair();
  const packs = (await Promise.all([
    OtPack.setup(SERVER, channels[0], { ot: mode, ferret: FERRET }),
    OtPack.setup(CLIENT, channels[1], { ot: mode, ferret: FERRET }),
  ])) as [OtPack, OtPack];
  return { channels, packs, contexts: [partyContext(packs[0]), partyContext(packs[1])] };
}
