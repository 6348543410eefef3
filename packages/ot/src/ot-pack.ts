/**
 * Both directions at once: two parties that each act as OT sender and as receiver keep four
 * extension endpoints — IKNP and KK13 1-out-of-N, each way. Only the first needs public-key
 * base OTs (128 Chou–Orlandi OTs, the server as IKNP sender); the other three take their base
 * OTs from random OTs of an extension already running in the opposite direction (the
 * standard bootstrapping: an extension's random OTs are as good as base OTs), which costs
 * 16 bytes and a few AES calls per OT instead of curve arithmetic. Both parties call
 * `OtPack.setup` with their own party.
 */
import type { Channel } from '@secinfer/transport';
import { IknpReceiver, IknpSender } from './iknp.js';
import { KkotReceiver, KkotSender } from './kkot.js';
import { type Party, SERVER } from './party.js';
import { randomBits } from './random.js';

/** Base OTs of one IKNP instance (the security parameter λ) and of one KK13 instance. */
const LAMBDA = 128;
const KK_WIDTH = 256;

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
  ) {}

  /** The channel all four endpoints run on. */
  get channel(): Channel {
    return this.iknpSender.channel;
  }

  /**
   * One base-OT run of 128 OTs, then three extensions bootstrapped from it: the client, as
   * IKNP receiver, takes 128 + 256 random OTs to become IKNP and KK13 sender; the server, as
   * receiver of that new IKNP, takes 256 to become KK13 sender. Three messages after the base OTs.
   */
  static async setup(party: Party, channel: Channel): Promise<OtPack> {
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
