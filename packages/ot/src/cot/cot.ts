/**
 * Random correlated OT with a global Δ, the functionality Ferret and free-XOR build on: the
 * sender holds Δ and K_j, the receiver a uniform bit b_j and M_j = K_j ⊕ b_j·Δ (16-byte
 * blocks). One interface for every source, so what is built on COT takes IKNP or Ferret.
 * The `iknp` flavour is IKNP's matrix itself: Δ is the sender's s, K_j = q_j, M_j = t_j,
 * with no hashing and no reply (16 B per COT from the receiver).
 */
import type { Channel } from '@secinfer/transport/core';
import { requireCount } from '../errors.js';
import type { IknpReceiver, IknpSender } from '../iknp.js';
import { sendChoiceColumns } from '../iknp.js';
import { randomBytes } from '../random.js';

/** The sender's side of a COT source: Δ, and K_j for each COT taken. */
export interface CotSender {
  readonly channel: Channel;
  /** The global correlation Δ (16 bytes), fixed for the source's life. */
  readonly delta: Uint8Array;
  /** The next n COTs: K_j as 16n bytes. */
  next(n: number): Promise<Uint8Array>;
}

/** What the receiver gets for n COTs: b_j (one 0/1 byte each) and M_j = K_j ⊕ b_j·Δ. */
export interface CotBatch {
  choices: Uint8Array;
  macs: Uint8Array;
}

/** The receiver's side of a COT source. */
export interface CotReceiver {
  readonly channel: Channel;
  /** The next n COTs, with uniformly random choice bits. */
  next(n: number): Promise<CotBatch>;
}

/** Global-Δ COT from IKNP (sender side): K_j = q_j, Δ = s. */
export class IknpCotSender implements CotSender {
  readonly channel: Channel;
  readonly delta: Uint8Array;
  constructor(readonly iknp: IknpSender) {
    this.channel = iknp.channel;
    this.delta = iknp.core.s.slice();
  }
  async next(n: number): Promise<Uint8Array> {
    requireCount(n, 'iknp cot');
    const { core, channel } = this.iknp;
    const out = new Uint8Array(16 * n);
    for (const b of core.batches(n)) {
      const u = await channel.recv(core.uBytes(b), 'iknp cot: matrix columns');
      out.set(core.decode(b, u).subarray(0, 16 * b.count), 16 * b.first);
    }
    return out;
  }
}

/** Global-Δ COT from IKNP (receiver side): random b_j, M_j = t_j. */
export class IknpCotReceiver implements CotReceiver {
  readonly channel: Channel;
  constructor(readonly iknp: IknpReceiver) {
    this.channel = iknp.channel;
  }
  async next(n: number): Promise<CotBatch> {
    requireCount(n, 'iknp cot');
    const choices = randomBytes(n);
    for (let j = 0; j < n; j++) choices[j]! &= 1;
    const macs = new Uint8Array(16 * n);
    for (const b of this.iknp.core.batches(n)) {
      const t = await sendChoiceColumns(this.iknp, choices, b);
      macs.set(t.subarray(0, 16 * b.count), 16 * b.first);
    }
    return { choices, macs };
  }
}
