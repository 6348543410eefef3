/**
 * Ferret silent correlated OT (Yang–Weng–Lan–Zhang–Wang, CCS 2020), semi-honest, as a
 * streaming COT source: `next(n)` hands out COTs from a buffer that rounds refill.
 *
 * A round of parameters (n = t·2^h, k, d) spends k + t·h reserved COTs:
 *   1. multi-point COT with regular noise: t GGM trees of 2^h leaves. The receiver's
 *      punctured leaf α_g is defined by the choice bits of the tree's h reserved COTs
 *      (α's bit at level i = NOT b_j), so the receiver sends nothing. For every level the
 *      sender sends S_0 ⊕ H(i_j, K_j) and S_1 ⊕ H(i_j, K_j ⊕ Δ) (its left and right sums),
 *      and once per tree c = Δ ⊕ ⊕ leaves; the receiver learns S_{b_j} with H(i_j, M_j), the
 *      side off its path, and w_α = c ⊕ ⊕_{i≠α} w_i, so v ⊕ w = e·Δ with e the noise vector.
 *   2. LPN: K_out = v ⊕ A·K_x, and M_out = w ⊕ A·M_x, b_out = e ⊕ A·b_x.
 * The first k + t·h outputs are kept as the next round's reserve; the rest are the user's.
 * IKNP runs once, for the bootstrap round's reserve. One message per group of trees, all
 * from the sender: a round is a single flight. Wire per round: t·(32h + 16) bytes.
 *
 * H is the tweakable hash H(i, x) = π(π(x) ⊕ i) ⊕ π(x) (Guo–Katz–Wang–Yu, S&P 2020), i_j the
 * reserve COT's index: counted from FERRET_RESERVE_TWEAKS (../cot/cot.ts) over the instance's
 * life, t·h for the bootstrap round and t·h more per main round, tree g's level l at g·h + l
 * of its round, the same on both sides. Why the tweak: every pad the receiver must not learn
 * is H(i_j, M_j ⊕ Δ), all under the one Δ the instance's COTs share (and its IKNP's hashes).
 * With the plain π(x) ⊕ x a guess of Δ is checked against every pad of every round at once,
 * a search ~2^128 / (pads so far), and a main round's reserve is LPN output, linear in
 * earlier COTs, so the inputs are correlated (two equal keys would even give equal pads).
 * With a distinct tweak per pad each one is an independent random-looking value whatever its
 * input, with one query per tweak in the random-permutation model; the range keeps the pads
 * apart from every other hash under Δ. Cost: one more AES pass per hash over the round's t·h
 * blocks (16,835 for ferret-b13, against 2^13 leaves for each of its 1,295 trees).
 *
 * Memory per party: one round's outputs, n·16 bytes (170 MB for ferret-b13; the receiver
 * adds n bytes of choice bits), plus the reserve and a group's tree levels (~12 MB). Every
 * main round writes into the same buffers: `next` copies out what it hands over, and fresh
 * buffers cost a page fault per 4 KiB touched and a collection of the old ones per round.
 */
import type { Channel } from '@secinfer/transport/core';
import { tccrHashMasked } from '../aes.js';
import {
  type CotBatch,
  type CotReceiver,
  type CotSender,
  FERRET_COT_TWEAKS,
  FERRET_RESERVE_TWEAKS,
  IknpCotReceiver,
  IknpCotSender,
} from '../cot/cot.js';
import { OtError, requireCount } from '../errors.js';
import { IknpReceiver, IknpSender } from '../iknp.js';
import { randomBytes } from '../random.js';
import { ggmReceive, ggmSend } from './ggm.js';
import { type LpnCode, lpnEncode } from './lpn.js';
import {
  checkParams,
  encodeParams,
  FERRET_B13,
  FERRET_B13_BOOTSTRAP,
  type FerretParams,
  reservedCots,
} from './params.js';

/** The two parameter sets of a Ferret instance: the main rounds' and the bootstrap's. */
export interface FerretOptions {
  main?: FerretParams;
  bootstrap?: FerretParams;
}

/** Trees per message: a group's widest level stays near 2^18 blocks (4 MiB). */
function groupSize(p: FerretParams): number {
  return Math.max(1, 2 ** Math.max(0, 18 - p.h));
}

/** Bytes the sender sends per tree: two sums per level and the leaf correction. */
export function ferretTreeBytes(p: FerretParams): number {
  return 32 * p.h + 16;
}

function resolve(options: FerretOptions): [FerretParams, FerretParams] {
  const main = options.main ?? FERRET_B13;
  const bootstrap = options.bootstrap ?? FERRET_B13_BOOTSTRAP;
  checkParams(main, bootstrap);
  return [main, bootstrap];
}

/** Both parties send their parameter words; either one throws if the other's differ. */
async function agreeParams(channel: Channel, own: Uint8Array): Promise<void> {
  await channel.send(own);
  const theirs = await channel.recv(own.length, 'ferret: parameters');
  for (let i = 0; i < own.length; i++) {
    if (theirs[i] !== own[i]) {
      throw new OtError('PARAMETER_MISMATCH', 'ferret: the parties use different parameter sets');
    }
  }
}

function codeOf(p: FerretParams, seed: Uint8Array): LpnCode {
  return { k: p.k, d: p.d, seed };
}

/** An aligned copy: received messages may sit at any offset of the transport's buffers. */
function alignedCopy(a: Uint8Array): Uint8Array {
  return a.slice();
}

/** The sender side: holds Δ (IKNP's s). */
export class FerretSender implements CotSender {
  readonly #reserve: Uint8Array;
  /** The main rounds' outputs, allocated at the first main round. */
  #out: Uint8Array | undefined;
  #buffer: Uint8Array = new Uint8Array(0);
  #pos = 0;
  /** Main rounds run so far (the bootstrap round not counted). */
  rounds = 0;
  #tweak = FERRET_COT_TWEAKS;
  get tweak(): number {
    return this.#tweak;
  }
  #padTweak = FERRET_RESERVE_TWEAKS;
  /** The hash tweak of the next round's first level pad: each round advances it by t·h. */
  get padTweak(): number {
    return this.#padTweak;
  }
  private constructor(
    readonly channel: Channel,
    readonly delta: Uint8Array,
    readonly main: FerretParams,
    readonly mainCode: LpnCode,
    reserve: Uint8Array,
  ) {
    this.#reserve = reserve;
  }

  /** Base OTs and IKNP for the bootstrap reserve, then `fromCot` on that IKNP. */
  static async setup(channel: Channel, options: FerretOptions = {}): Promise<FerretSender> {
    return FerretSender.fromCot(new IknpCotSender(await IknpSender.setup(channel)), options);
  }

  /**
   * Bootstraps from a COT source already running (an OtPack passes its IKNP sender; `setup`
   * a fresh IKNP): the source's Δ becomes this instance's, and its COTs are the bootstrap
   * round's reserve. The parameters are agreed and the code seeds sent first.
   */
  static async fromCot(base: CotSender, options: FerretOptions = {}): Promise<FerretSender> {
    const [main, bootstrap] = resolve(options);
    const { channel, delta } = base;
    const seeds = randomBytes(32);
    await agreeParams(channel, encodeParams(main, bootstrap));
    await channel.send(seeds);
    const first = await base.next(reservedCots(bootstrap));
    const out = new Uint8Array(16 * bootstrap.n);
    const code = codeOf(bootstrap, seeds.slice(16));
    await sendRound(channel, delta, bootstrap, code, first, out, FERRET_RESERVE_TWEAKS);
    const r = 16 * reservedCots(main);
    const sender = new FerretSender(
      channel,
      delta,
      main,
      codeOf(main, seeds.slice(0, 16)),
      out.slice(0, r),
    );
    sender.#buffer = out.subarray(r);
    sender.#padTweak += padsPerRound(bootstrap);
    return sender;
  }

  /** The next n COTs (K_j, 16n bytes), running rounds as the buffer empties. */
  async next(n: number): Promise<Uint8Array> {
    requireCount(n, 'ferret next');
    this.#tweak += n;
    const out = new Uint8Array(16 * n);
    for (let filled = 0; filled < n; ) {
      if (this.#pos === this.#buffer.byteLength) await this.#round();
      const take = Math.min(n - filled, (this.#buffer.byteLength - this.#pos) >>> 4);
      out.set(this.#buffer.subarray(this.#pos, this.#pos + 16 * take), 16 * filled);
      this.#pos += 16 * take;
      filled += take;
    }
    return out;
  }

  async #round(): Promise<void> {
    const r = 16 * reservedCots(this.main);
    this.#out ??= new Uint8Array(16 * this.main.n);
    const out = this.#out;
    const pads = this.#padTweak;
    this.#padTweak += padsPerRound(this.main);
    await sendRound(this.channel, this.delta, this.main, this.mainCode, this.#reserve, out, pads);
    this.#reserve.set(out.subarray(0, r));
    this.#buffer = out.subarray(r);
    this.#pos = 0;
    this.rounds++;
  }
}

/** The receiver side: holds the choice bits. */
export class FerretReceiver implements CotReceiver {
  readonly #reserve: CotBatch;
  /** The main rounds' outputs, allocated at the first main round. */
  #out: CotBatch | undefined;
  #buffer: CotBatch = { choices: new Uint8Array(0), macs: new Uint8Array(0) };
  #pos = 0;
  /** Main rounds run so far (the bootstrap round not counted). */
  rounds = 0;
  #tweak = FERRET_COT_TWEAKS;
  get tweak(): number {
    return this.#tweak;
  }
  #padTweak = FERRET_RESERVE_TWEAKS;
  /** The hash tweak of the next round's first level pad, counted as the sender counts it. */
  get padTweak(): number {
    return this.#padTweak;
  }
  private constructor(
    readonly channel: Channel,
    readonly main: FerretParams,
    readonly mainCode: LpnCode,
    reserve: CotBatch,
  ) {
    this.#reserve = reserve;
  }

  /** Base OTs and IKNP for the bootstrap reserve, then `fromCot` on that IKNP. */
  static async setup(channel: Channel, options: FerretOptions = {}): Promise<FerretReceiver> {
    return FerretReceiver.fromCot(new IknpCotReceiver(await IknpReceiver.setup(channel)), options);
  }

  /** Bootstraps from a COT source already running, the receiver's side of `FerretSender.fromCot`. */
  static async fromCot(base: CotReceiver, options: FerretOptions = {}): Promise<FerretReceiver> {
    const [main, bootstrap] = resolve(options);
    const { channel } = base;
    await agreeParams(channel, encodeParams(main, bootstrap));
    const seeds = alignedCopy(await channel.recv(32, 'ferret: code seeds'));
    const first = await base.next(reservedCots(bootstrap));
    const out = batchOf(bootstrap.n);
    const code = codeOf(bootstrap, seeds.slice(16));
    await receiveRound(channel, bootstrap, code, first, out, FERRET_RESERVE_TWEAKS);
    const r = reservedCots(main);
    const receiver = new FerretReceiver(
      channel,
      main,
      codeOf(main, seeds.slice(0, 16)),
      keep(out, r),
    );
    receiver.#buffer = rest(out, r);
    receiver.#padTweak += padsPerRound(bootstrap);
    return receiver;
  }

  /** The next n COTs: random choice bits b_j and M_j = K_j ⊕ b_j·Δ. */
  async next(n: number): Promise<CotBatch> {
    requireCount(n, 'ferret next');
    this.#tweak += n;
    const choices = new Uint8Array(n);
    const macs = new Uint8Array(16 * n);
    for (let filled = 0; filled < n; ) {
      if (this.#pos === this.#buffer.choices.length) await this.#round();
      const take = Math.min(n - filled, this.#buffer.choices.length - this.#pos);
      choices.set(this.#buffer.choices.subarray(this.#pos, this.#pos + take), filled);
      macs.set(this.#buffer.macs.subarray(16 * this.#pos, 16 * (this.#pos + take)), 16 * filled);
      this.#pos += take;
      filled += take;
    }
    return { choices, macs };
  }

  async #round(): Promise<void> {
    const r = reservedCots(this.main);
    this.#out ??= batchOf(this.main.n);
    const out = this.#out;
    const pads = this.#padTweak;
    this.#padTweak += padsPerRound(this.main);
    await receiveRound(this.channel, this.main, this.mainCode, this.#reserve, out, pads);
    this.#reserve.choices.set(out.choices.subarray(0, r));
    this.#reserve.macs.set(out.macs.subarray(0, 16 * r));
    this.#buffer = rest(out, r);
    this.#pos = 0;
    this.rounds++;
  }
}

/** Level pads a round hashes, one per reserve COT after the code's k. */
function padsPerRound(p: FerretParams): number {
  return p.t * p.h;
}

function batchOf(n: number): CotBatch {
  return { choices: new Uint8Array(n), macs: new Uint8Array(16 * n) };
}

function keep(b: CotBatch, r: number): CotBatch {
  return { choices: b.choices.slice(0, r), macs: b.macs.slice(0, 16 * r) };
}

function rest(b: CotBatch, r: number): CotBatch {
  return { choices: b.choices.subarray(r), macs: b.macs.subarray(16 * r) };
}

/**
 * SENDER: one round from `reserve` (k + t·h K's); overwrites `out` with its n outputs. The
 * level pads take tweaks `firstPad` + g·h + l (tree g, level l).
 */
async function sendRound(
  channel: Channel,
  delta: Uint8Array,
  p: FerretParams,
  code: LpnCode,
  reserve: Uint8Array,
  out: Uint8Array,
  firstPad: number,
): Promise<void> {
  const leaves = 1 << p.h;
  const group = groupSize(p);
  const treeBytes = ferretTreeBytes(p);
  const dl = new Int32Array(delta.slice().buffer);
  for (let g0 = 0; g0 < p.t; g0 += group) {
    const trees = Math.min(group, p.t - g0);
    const leafOut = out.subarray(16 * leaves * g0, 16 * leaves * (g0 + trees));
    const sums = ggmSend(randomBytes(16 * trees), p.h, leafOut);
    const levelKeys = reserve.subarray(16 * (p.k + g0 * p.h), 16 * (p.k + (g0 + trees) * p.h));
    const msg = new Uint8Array(treeBytes * trees);
    // c = Δ ⊕ ⊕ leaves, and a tree's leaves sum to its last level's left and right sums.
    const corrections = new Int32Array(msg.buffer, 32 * p.h * trees, 4 * trees);
    const sw = words(sums);
    for (let g = 0; g < trees; g++) {
      const last = 8 * (g * p.h + p.h - 1);
      for (let w = 0; w < 4; w++)
        corrections[4 * g + w] = dl[w]! ^ sw[last + w]! ^ sw[last + 4 + w]!;
    }
    const first = firstPad + g0 * p.h;
    maskSums(
      sums,
      tccrHashMasked(levelKeys, undefined, first),
      tccrHashMasked(levelKeys, delta, first),
    );
    msg.set(sums);
    await channel.send(msg);
  }
  lpnEncode(code, reserve.subarray(0, 16 * p.k), out);
}

function words(a: Uint8Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
}

/** sums[2j] ⊕= h0[j], sums[2j+1] ⊕= h1[j], on 16-byte blocks. */
function maskSums(sums: Uint8Array, h0: Uint8Array, h1: Uint8Array): void {
  const s = words(sums);
  const a = words(h0);
  const b = words(h1);
  for (let j = 0; 8 * j < s.length; j++) {
    for (let x = 0; x < 4; x++) {
      s[8 * j + x]! ^= a[4 * j + x]!;
      s[8 * j + 4 + x]! ^= b[4 * j + x]!;
    }
  }
}

/** RECEIVER: one round from `reserve` (k + t·h COTs), the level pads tweaked as sendRound's. */
async function receiveRound(
  channel: Channel,
  p: FerretParams,
  code: LpnCode,
  reserve: CotBatch,
  out: CotBatch,
  firstPad: number,
): Promise<void> {
  const leaves = 1 << p.h;
  const { macs, choices } = out;
  // The noise vector e: zero but at the punctured leaves (every block of macs is rewritten).
  choices.fill(0);
  const group = groupSize(p);
  const treeBytes = ferretTreeBytes(p);
  for (let g0 = 0; g0 < p.t; g0 += group) {
    const trees = Math.min(group, p.t - g0);
    const msg = alignedCopy(await channel.recv(treeBytes * trees, 'ferret: tree sums'));
    const bits = reserve.choices.subarray(p.k + g0 * p.h, p.k + (g0 + trees) * p.h);
    const pads = tccrHashMasked(
      reserve.macs.subarray(16 * (p.k + g0 * p.h), 16 * (p.k + (g0 + trees) * p.h)),
      undefined,
      firstPad + g0 * p.h,
    );
    const alphas = new Uint32Array(trees);
    const offPath = new Uint8Array(16 * p.h * trees);
    for (let j = 0; j < trees * p.h; j++) {
      const b = bits[j]!;
      alphas[(j / p.h) | 0] = (alphas[(j / p.h) | 0]! << 1) | (b ^ 1);
      for (let x = 0; x < 16; x++)
        offPath[16 * j + x] = msg[32 * j + 16 * b + x]! ^ pads[16 * j + x]!;
    }
    const leafOut = macs.subarray(16 * leaves * g0, 16 * leaves * (g0 + trees));
    const totals = words(ggmReceive(alphas, p.h, offPath, leafOut));
    const lw = words(leafOut);
    const corrections = new Int32Array(msg.buffer, 32 * p.h * trees, 4 * trees);
    for (let g = 0; g < trees; g++) {
      // w_α = c ⊕ the XOR of the tree's other leaves.
      const at = 4 * (leaves * g + alphas[g]!);
      for (let w = 0; w < 4; w++) lw[at + w] = corrections[4 * g + w]! ^ totals[4 * g + w]!;
      choices[leaves * g0 + at / 4] = 1;
    }
  }
  lpnEncode(code, reserve.macs.subarray(0, 16 * p.k), macs, reserve.choices, choices);
}
