/**
 * The first argument of every protocol of this package and of the linear layers above it:
 * who this party is, the channel its messages go on, and its OT. A context is made from one
 * set-up OtPack (`partyContext`), whose endpoints all run on the pack's own channel, or in
 * tests from an ideal OT (`@secinfer/mpc-primitives/ideal`) — so the protocols' channel and
 * the OT's channel cannot be two different ones. Protocols that send nothing, or use no OT,
 * take the same context: one shape everywhere.
 */
import type { OtPack, Party } from '@secinfer/ot';
import type { Channel } from '@secinfer/transport/core';
import { otPortOf } from './protocols/ot-pack-port.js';
import type { OtPort } from './protocols/ot-port.js';

/** This party's view of a two-party session. */
export interface PartyContext {
  readonly party: Party;
  readonly channel: Channel;
  readonly ot: OtPort;
}

/** The context of the party that set up `pack`: its party, its channel, OT over it. */
export function partyContext(pack: OtPack): PartyContext {
  return { party: pack.party, channel: pack.channel, ot: otPortOf(pack) };
}
