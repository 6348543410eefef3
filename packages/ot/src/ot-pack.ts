/**
 * Both directions at once: two parties that each act as OT sender and as receiver keep four
 * extension endpoints — IKNP and KK13 1-out-of-N, each way. Only the first needs public-key
 * base OTs (128 Chou–Orlandi OTs, the server as IKNP sender); the other three take their base
 * OTs from random OTs of an extension already running in the opposite direction (the
 * standard bootstrapping: an extension's random OTs are as good as base OTs), which costs
 * 16 bytes and a few AES calls per OT instead of curve arithmetic. Both parties call
 * `OtPack.setup` with their own party.
 *
 * Silent mode (`ot: 'silent'`) adds Ferret in both directions, bootstrapped from the pack's
 * own IKNP (its COTs are each Ferret's bootstrap reserve, so no further base OTs): this party
 * as COT sender (Δ = its IKNP s) and as COT receiver. The protocols then draw their OTs from
 * `cotSender` / `cotReceiver` at Cheetah's costs. Setup per direction with the default sets:
 * 96 B of parameters, 32 B of seeds, IKNP for the bootstrap reserve (k + t·h = 47,709 COTs,
 * 763,392 B) and the bootstrap round (t·(32h + 16) = 385,776 B); the first main round
 * (559,440 B) runs when the 43,069 COTs left by the bootstrap are used up. Memory per party:
 * two Ferret buffers of one round's outputs, 16n bytes each (170 MB for ferret-b13) plus n
 * choice bytes on the receiving side — ~350 MB (RSS ~410 MB per party measured once both
 * directions have run their first main round).
 */
import type { Channel } from '@secinfer/transport/core';
import { type CotReceiver, type CotSender, IknpCotReceiver, IknpCotSender } from './cot/cot.js';
import { OtError } from './errors.js';
import { type FerretOptions, FerretReceiver, FerretSender } from './ferret/ferret.js';
import { IknpReceiver, IknpSender } from './iknp.js';
import { KkotReceiver, KkotSender } from './kkot.js';
import { type Party, SERVER } from './party.js';
import { randomBits } from './random.js';

/** Base OTs of one IKNP instance (the security parameter λ) and of one KK13 instance. */
const LAMBDA = 128;
const KK_WIDTH = 256;

/** How the pack makes the OTs the protocols draw: IKNP and KK13, or Ferret silent COT. */
export interface OtPackOptions {
  ot?: 'iknp' | 'silent';
  /** Ferret's parameter sets in silent mode (default ferret-b13 and its bootstrap). */
  ferret?: FerretOptions;
}

const MODES = ['iknp', 'silent'] as const;

/** Sends this party's mode, reads the other's: both send first, so no party waits on the other. */
async function agreeOnMode(channel: Channel, mode: 'iknp' | 'silent'): Promise<void> {
  const code = MODES.indexOf(mode);
  if (code < 0) throw new OtError('PARAMETER_MISMATCH', `OtPack: unknown OT mode '${mode}'`);
  await channel.send(Uint8Array.of(code));
  const theirs = (await channel.recv(1, 'OtPack: the other party’s OT mode'))[0]!;
  if (theirs !== code)
    throw new OtError(
      'PARAMETER_MISMATCH',
      `OtPack: this party sets up ${mode} OT, the other ${MODES[theirs] ?? `mode ${theirs}`}`,
    );
}

/** OT in both directions between the same two parties over one channel. */
export class OtPack {
  private constructor(
    /** Which end of the session this party is (it orders the setup). */
    readonly party: Party,
    /** This party as IKNP sender (1-out-of-2). */
    readonly iknpSender: IknpSender,
    /** This party as IKNP receiver. */
    readonly iknpReceiver: IknpReceiver,
    /** This party as 1-out-of-N sender. */
    readonly kkotSender: KkotSender,
    /** This party as 1-out-of-N receiver. */
    readonly kkotReceiver: KkotReceiver,
    /** 'silent' when the Ferret endpoints below exist. */
    readonly ot: 'iknp' | 'silent' = 'iknp',
    /** Silent mode: this party as Ferret COT sender (Δ = iknpSender's s). */
    readonly cotSender?: CotSender,
    /** Silent mode: this party as Ferret COT receiver. */
    readonly cotReceiver?: CotReceiver,
  ) {}

  /** The channel all four endpoints run on. */
  get channel(): Channel {
    return this.iknpSender.channel;
  }

  /**
   * One base-OT run of 128 OTs, then three extensions bootstrapped from it: the client, as
   * IKNP receiver, takes 128 + 256 random OTs to become IKNP and KK13 sender; the server, as
   * receiver of that new IKNP, takes 256 to become KK13 sender. Three messages after the base OTs.
   * In silent mode, then Ferret both ways: the server's Ferret sender first. Before anything,
   * each party sends the mode it sets up (one byte) and checks the other's, so a pack of one
   * mode against one of the other fails at once on both sides (OtError PARAMETER_MISMATCH)
   * instead of somewhere in the first protocol.
   */
  static async setup(party: Party, channel: Channel, options: OtPackOptions = {}): Promise<OtPack> {
    const mode = options.ot ?? 'iknp';
    await agreeOnMode(channel, mode);
    const pack = await OtPack.extensions(party, channel);
    if (mode === 'iknp') return pack;
    const asSender = () => FerretSender.fromCot(new IknpCotSender(pack.iknpSender), options.ferret);
    const asReceiver = () =>
      FerretReceiver.fromCot(new IknpCotReceiver(pack.iknpReceiver), options.ferret);
    let cotSender: CotSender;
    let cotReceiver: CotReceiver;
    if (party === SERVER) {
      cotSender = await asSender();
      cotReceiver = await asReceiver();
    } else {
      cotReceiver = await asReceiver();
      cotSender = await asSender();
    }
    const { iknpSender, iknpReceiver, kkotSender, kkotReceiver } = pack;
    return new OtPack(
      party,
      iknpSender,
      iknpReceiver,
      kkotSender,
      kkotReceiver,
      'silent',
      cotSender,
      cotReceiver,
    );
  }

  /** The four extension endpoints of both modes. */
  private static async extensions(party: Party, channel: Channel): Promise<OtPack> {
    if (party === SERVER) {
      const iknpSender = await IknpSender.setup(channel);
      const { m0, m1 } = await iknpSender.randomOt(LAMBDA + KK_WIDTH);
      const iknpReceiver = IknpReceiver.fromBaseOts(
        channel,
        m0.subarray(0, 16 * LAMBDA),
        m1.subarray(0, 16 * LAMBDA),
      );
      const kkotReceiver = KkotReceiver.fromBaseOts(
        channel,
        m0.subarray(16 * LAMBDA),
        m1.subarray(16 * LAMBDA),
      );
      const s = randomBits(KK_WIDTH);
      const kkotSender = KkotSender.fromBaseOts(channel, s, await iknpReceiver.randomOt(s));
      return new OtPack(party, iknpSender, iknpReceiver, kkotSender, kkotReceiver);
    }
    const iknpReceiver = await IknpReceiver.setup(channel);
    const s = randomBits(LAMBDA + KK_WIDTH);
    const keys = await iknpReceiver.randomOt(s);
    const iknpSender = IknpSender.fromBaseOts(
      channel,
      s.subarray(0, LAMBDA),
      keys.subarray(0, 16 * LAMBDA),
    );
    const kkotSender = KkotSender.fromBaseOts(
      channel,
      s.subarray(LAMBDA),
      keys.subarray(16 * LAMBDA),
    );
    const { m0, m1 } = await iknpSender.randomOt(KK_WIDTH);
    const kkotReceiver = KkotReceiver.fromBaseOts(channel, m0, m1);
    return new OtPack(party, iknpSender, iknpReceiver, kkotSender, kkotReceiver);
  }
}
