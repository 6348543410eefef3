/**
 * Both directions at once: two parties that each need to act as OT sender and as receiver
 * run the base OTs once per direction and keep the four extension endpoints. Both parties
 * call `OtPack.setup` with their own role; the server is the IKNP/KKOT sender first.
 */
import type { Channel } from '@secinfer/transport';
import { IknpReceiver, IknpSender } from './iknp.js';
import { KkotReceiver, KkotSender } from './kkot.js';

/** Which end of the session this party is; only used to order the setup. */
export type Role = 'server' | 'client';

/** OT in both directions between the same two parties over one channel. */
export class OtPack {
  private constructor(
    readonly role: Role,
    /** This party as IKNP sender (1-out-of-2). */
    readonly iknpSender: IknpSender,
    /** This party as IKNP receiver. */
    readonly iknpReceiver: IknpReceiver,
    /** This party as 1-out-of-N sender. */
    readonly kkotSender: KkotSender,
    /** This party as 1-out-of-N receiver. */
    readonly kkotReceiver: KkotReceiver,
  ) {}

  /** Runs 2 × 128 + 2 × 256 base OTs (four batched base-OT runs). */
  static async setup(channel: Channel, role: Role): Promise<OtPack> {
    if (role === 'server') {
      const iknpSender = await IknpSender.setup(channel);
      const iknpReceiver = await IknpReceiver.setup(channel);
      const kkotSender = await KkotSender.setup(channel);
      const kkotReceiver = await KkotReceiver.setup(channel);
      return new OtPack(role, iknpSender, iknpReceiver, kkotSender, kkotReceiver);
    }
    const iknpReceiver = await IknpReceiver.setup(channel);
    const iknpSender = await IknpSender.setup(channel);
    const kkotReceiver = await KkotReceiver.setup(channel);
    const kkotSender = await KkotSender.setup(channel);
    return new OtPack(role, iknpSender, iknpReceiver, kkotSender, kkotReceiver);
  }
}
