/**
 * Random correlated OT with a global Δ, the functionality Ferret and free-XOR build on: the
 * sender holds Δ and K_j, the receiver a uniform bit b_j and M_j = K_j ⊕ b_j·Δ (16-byte
 * blocks). One interface for every source, so what is built on COT takes IKNP or Ferret.
 * The `iknp` flavour is IKNP's matrix itself: Δ is the sender's s, K_j = q_j, M_j = t_j,
 * with no hashing and no reply (16 B per COT from the receiver).
 *
 * Every source numbers its COTs for the tweakable hash H(i, x) (Guo–Katz–Wang–Yu, "Efficient
 * and secure multiparty computation from fixed-key block ciphers", S&P 2020) that turns a COT
 * into an OT pad: `tweak` is the index of the next COT, advanced by n when `next(n)` is called,
 * the same on both sides, so no index repeats within the source's life. Sources sharing one Δ
 * (IKNP's s is its own hashes' Δ and, as the COT sender's Δ, Ferret's) start at different
 * origins, 2^48 apart: no two hashes under one Δ share a tweak while a stream stays below
 * 2^48 COTs (9 years at a million a second). Ferret's own hashes, the pads of its GGM tree
 * levels, number the reserve COTs they consume in a fourth range.
 */
import type { Channel } from '@secinfer/transport/core';
import { requireCount } from '../errors.js';
import type { IknpReceiver, IknpSender } from '../iknp.js';
import { sendChoiceColumns } from '../iknp.js';
import { randomBytes } from '../random.js';

/** Where IKNP's COT stream numbers its COTs (IKNP's own OTs are numbered from 0). */
export const IKNP_COT_TWEAKS = 2 ** 48;
/** Where Ferret's COT stream numbers its COTs. */
export const FERRET_COT_TWEAKS = 2 * 2 ** 48;
/**
 * Where Ferret numbers the reserve COTs its rounds spend on GGM level pads (t·h a round, the
 * bootstrap's first): never handed out, so they need tweaks apart from the COT stream's.
 */
export const FERRET_RESERVE_TWEAKS = 3 * 2 ** 48;

/** The sender's side of a COT source: Δ, and K_j for each COT taken. */
export interface CotSender {
  readonly channel: Channel;
  /** The global correlation Δ (16 bytes), fixed for the source's life. */
  readonly delta: Uint8Array;
  /** The hash tweak of the next COT: `next(n)` advances it by n before it first awaits. */
  readonly tweak: number;
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
  /** The hash tweak of the next COT, counted as the sender counts it. */
  readonly tweak: number;
  /** The next n COTs, with uniformly random choice bits. */
  next(n: number): Promise<CotBatch>;
}

/** Global-Δ COT from IKNP (sender side): K_j = q_j, Δ = s. */
export class IknpCotSender implements CotSender {
  readonly channel: Channel;
  readonly delta: Uint8Array;
  #tweak = IKNP_COT_TWEAKS;
  get tweak(): number {
    return this.#tweak;
  }
  constructor(readonly iknp: IknpSender) {
    this.channel = iknp.channel;
    this.delta = iknp.core.s.slice();
  }
  async next(n: number): Promise<Uint8Array> {
    requireCount(n, 'iknp cot');
    this.#tweak += n;
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
  #tweak = IKNP_COT_TWEAKS;
  get tweak(): number {
    return this.#tweak;
  }
  constructor(readonly iknp: IknpReceiver) {
    this.channel = iknp.channel;
  }
  async next(n: number): Promise<CotBatch> {
    requireCount(n, 'iknp cot');
    this.#tweak += n;
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
