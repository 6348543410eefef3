/**
 * IKNP OT extension (Ishai–Kilian–Nissim–Petrank 2003, λ = 128): many 1-out-of-2 OTs from
 * 128 base OTs, reusable across calls. Row j of the matrix gives the sender
 * q_j = t_j ⊕ r_j·s and the receiver t_j, so with a hash H the sender's two pads are
 * H(j, q_j), H(j, q_j ⊕ s) and the receiver knows H(j, t_j), the one it chose.
 *
 * H is the tweakable correlation-robust hash H(j, x) = π(π(x) ⊕ j) ⊕ π(x) (Guo–Katz–Wang–Yu,
 * "Efficient and secure multiparty computation from fixed-key block ciphers", S&P 2020),
 * tweaked by j, the OT's global index in this sender–receiver pair (counted by the extension
 * core across calls and batches, the same on both sides). Why the tweak: the receiver sees
 * outputs of one function at n inputs t_j ⊕ s sharing a secret offset s, so with an untweaked
 * H(x) = π(x) ⊕ x each guess of s is tested against n targets at once and s falls after
 * ~2^128 / n work (the multi-instance attack Guo et al. point out). With a distinct tweak per
 * OT, their bound for the tweakable hash in the random-permutation model holds with one query
 * per tweak: advantage ~q / 2^128 for q evaluations of π, whatever n.
 * Pads longer than 16 bytes hash each block with tweak (j, block).
 *
 *   random OT:     no further message; pads are the outputs (16 bytes each).
 *   correlated:    sender sends y_j = x_j + Δ_j − H(q_j ⊕ s), ℓ bits; sender keeps
 *                  x_j = H(q_j), receiver outputs H(t_j) + r_j·y_j = x_j + r_j·Δ_j
 *                  (mod 2^ℓ; or the same with ⊕).
 *   chosen:        sender sends m0 ⊕ H(q_j) and m1 ⊕ H(q_j ⊕ s), ℓ bits each.
 *
 * Wire: 16 bytes per OT from the receiver (⌈n/8⌉ per column), then what the flavour sends.
 * Choice bits are one 0/1 byte per OT.
 */
import type { Channel } from '@secinfer/transport/core';
import { tccrHash, tccrHashMasked, tccrHashValues } from './aes.js';
import { OtError, requireChoices, requireCount, requireLength, requireWidth } from './errors.js';
import {
  type Batch,
  LARGEST_BATCH,
  pipelineBatches,
  ReceiverCore,
  receiverCoreFrom,
  requireWindowFits,
  SenderCore,
  senderCoreFrom,
} from './extension.js';
import { packBits, packedBytes, packValues, unpackValues, wordsPerValue } from './kernels/pack.js';
import { ringAddInto, ringSubInto, xorValues } from './kernels/ring.js';
import { xorEachBlock, xorInto } from './kernels/xor.js';

const LAMBDA = 128;

/** How correlated OT relates the sender's two messages: m1 = m0 + Δ mod 2^ℓ, or m0 ⊕ Δ. */
export type Correlation = 'add' | 'xor';

/** The sender's two pads of one batch: block-rows H(j, q_j) and H(j, q_j ⊕ s). */
type SenderStep = (b: Batch, h0: Uint8Array, h1: Uint8Array) => Uint8Array | undefined;
/** The sender's rows q_j of one batch and s; the step hashes what it needs. */
type SenderRowsStep = (b: Batch, q: Uint8Array, s: Uint8Array) => Uint8Array;
/** The receiver's rows t_j of one batch (kept until the reply) and the reply. */
type ReceiverRowsStep = (b: Batch, t: Uint8Array, reply: Uint8Array) => void;
/** The receiver's pads H(j, t_j) of one batch and the sender's reply to it. */
type ReceiverStep = (b: Batch, h: Uint8Array, reply: Uint8Array) => void;

function checkValues(values: Uint32Array, n: number, ell: number, what: string): void {
  requireLength(values.length, n * wordsPerValue(ell), what);
}

/** The sender side of IKNP: it chooses Δ or the messages. Set up once, extend many times. */
export class IknpSender {
  private constructor(
    readonly channel: Channel,
    readonly core: SenderCore,
  ) {}

  /** Runs the 128 base OTs (as their receiver) on `channel`. */
  static async setup(channel: Channel): Promise<IknpSender> {
    requireWindowFits(channel, LAMBDA, LARGEST_BATCH, 'IknpSender');
    return new IknpSender(channel, await SenderCore.setup(channel, LAMBDA));
  }

  /**
   * Sets up from 128 OTs run elsewhere in which this party was the receiver, with uniformly
   * random secret choices `s` (0/1 bytes) and 16-byte outputs `keys` — e.g. random OTs of an
   * extension in the other direction, which are as good as base OTs and far cheaper.
   */
  static fromBaseOts(channel: Channel, s: Uint8Array, keys: Uint8Array): IknpSender {
    requireWindowFits(channel, LAMBDA, LARGEST_BATCH, 'IknpSender');
    return new IknpSender(channel, senderCoreFrom(LAMBDA, s, keys));
  }

  /** One extension of n OTs, hashing `blocksPerOt` blocks per pad; `step` makes the reply. */
  async #extend(n: number, blocksPerOt: number, step: SenderStep): Promise<void> {
    const { core, channel } = this;
    for (const b of core.batches(n)) {
      const u = await channel.recv(core.uBytes(b), 'iknp: matrix columns');
      const q = core.decode(b, u).subarray(0, 16 * b.count);
      const [h0, h1] = padHashes(q, core.s, b.tweak, blocksPerOt);
      const reply = step(b, h0, h1);
      if (reply) await channel.send(reply);
    }
  }

  /** Like #extend, for flavours that need only the low ℓ bits of each pad. */
  async #extendRows(n: number, step: SenderRowsStep): Promise<void> {
    const { core, channel } = this;
    for (const b of core.batches(n)) {
      const u = await channel.recv(core.uBytes(b), 'iknp: matrix columns');
      await channel.send(step(b, core.decode(b, u), core.s));
    }
  }

  /** n random OTs: returns both 16-byte pads of every OT (m0, m1: 16n bytes each). */
  async randomOt(n: number): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
    requireCount(n, 'randomOt');
    const m0 = new Uint8Array(16 * n);
    const m1 = new Uint8Array(16 * n);
    await this.#extend(n, 1, (b, h0, h1) => {
      m0.set(h0, 16 * b.first);
      m1.set(h1, 16 * b.first);
      return undefined;
    });
    return { m0, m1 };
  }

  /**
   * Correlated OT over Z_2^ℓ (1 ≤ ℓ ≤ 64): OT j carries Δ_j (project layout); returns the
   * sender's random m0, the receiver gets m0 + r_j·Δ_j (or m0 ⊕ r_j·Δ_j). Costs 16 B + ℓ bits.
   */
  async correlatedOt(
    deltas: Uint32Array,
    ell: number,
    op: Correlation = 'add',
  ): Promise<Uint32Array> {
    requireWidth(ell, 64, 'correlatedOt');
    const wpv = wordsPerValue(ell);
    const n = deltas.length / wpv;
    if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'correlatedOt: deltas length');
    const m0 = new Uint32Array(n * wpv);
    await this.#extendRows(n, (b, q, s) => {
      const x0 = tccrHashValues(q, undefined, b.count, ell, b.tweak);
      const p1 = tccrHashValues(q, s, b.count, ell, b.tweak);
      const d = deltas.subarray(b.first * wpv, (b.first + b.count) * wpv);
      const y = new Uint32Array(b.count * wpv);
      if (op === 'add') {
        ringAddInto(y, x0, d, ell);
        ringSubInto(y, y, p1, ell);
      } else {
        xorValues(y, x0, d, y.length);
        xorValues(y, y, p1, y.length);
      }
      m0.set(x0, b.first * wpv);
      return packValues(y, b.count, ell);
    });
    return m0;
  }

  /** Correlated OT of 128-bit strings: m1 = m0 ⊕ Δ_j (deltas: 16n bytes); returns m0. */
  async correlatedOt128(deltas: Uint8Array): Promise<Uint8Array> {
    const n = deltas.length / 16;
    if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'correlatedOt128: deltas length');
    const m0 = new Uint8Array(16 * n);
    await this.#extend(n, 1, (b, h0, h1) => {
      const y = deltas.slice(16 * b.first, 16 * (b.first + b.count));
      xorInto(y, h0);
      xorInto(y, h1);
      m0.set(h0, 16 * b.first);
      return y;
    });
    return m0;
  }

  /** Chosen-message OT of ℓ-bit values (1 ≤ ℓ ≤ 64, project layout); costs 16 B + 2ℓ bits. */
  async chosenOt(m0: Uint32Array, m1: Uint32Array, ell: number): Promise<void> {
    requireWidth(ell, 64, 'chosenOt');
    const wpv = wordsPerValue(ell);
    const n = m0.length / wpv;
    checkValues(m1, n, ell, 'chosenOt: m1');
    if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'chosenOt: m0 length');
    await this.#extendRows(n, (b, q, s) => {
      const y0 = tccrHashValues(q, undefined, b.count, ell, b.tweak);
      const y1 = tccrHashValues(q, s, b.count, ell, b.tweak);
      const words = b.count * wpv;
      xorValues(y0, y0, m0.subarray(b.first * wpv), words);
      xorValues(y1, y1, m1.subarray(b.first * wpv), words);
      return concat(packValues(y0, b.count, ell), packValues(y1, b.count, ell));
    });
  }

  /**
   * Chosen-message OT of byte strings of any length L (m0, m1: nL bytes each, message j at
   * [jL, jL + L)); pads longer than 16 bytes use one hash tweak per block. Costs 16 B + 2L B.
   */
  async chosenOtBytes(m0: Uint8Array, m1: Uint8Array, messageBytes: number): Promise<void> {
    if (!Number.isInteger(messageBytes) || messageBytes < 1) {
      throw new OtError('BAD_WIDTH', `chosenOtBytes: message length ${messageBytes}`);
    }
    const n = m0.length / messageBytes;
    if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'chosenOtBytes: m0 length');
    requireLength(m1.length, m0.length, 'chosenOtBytes: m1');
    const blocks = Math.ceil(messageBytes / 16);
    if (messageBytes === 16) {
      // One block per pad: hash straight into the copied messages, no pad arrays.
      await this.#extendRows(n, (b, q, s) => {
        const bytes = 16 * b.count;
        const out = new Uint8Array(2 * bytes);
        out.set(m0.subarray(16 * b.first, 16 * b.first + bytes));
        out.set(m1.subarray(16 * b.first, 16 * b.first + bytes), bytes);
        const rows = q.subarray(0, bytes);
        tccrHashMasked(rows, undefined, b.tweak, out.subarray(0, bytes));
        tccrHashMasked(rows, s, b.tweak, out.subarray(bytes));
        return out;
      });
      return;
    }
    await this.#extend(n, blocks, (b, h0, h1) => {
      const bytes = b.count * messageBytes;
      const out = new Uint8Array(2 * bytes);
      const range = [b.first * messageBytes, b.first * messageBytes + bytes] as const;
      out.set(m0.subarray(...range));
      out.set(m1.subarray(...range), bytes);
      xorInto(out.subarray(0, bytes), truncateBlocks(h0, b.count, blocks, messageBytes));
      xorInto(out.subarray(bytes), truncateBlocks(h1, b.count, blocks, messageBytes));
      return out;
    });
  }
}

/** The receiver side of IKNP: it holds the choice bits. Set up once, extend many times. */
export class IknpReceiver {
  private constructor(
    readonly channel: Channel,
    readonly core: ReceiverCore,
  ) {}

  /** Runs the 128 base OTs (as their sender) on `channel`. */
  static async setup(channel: Channel): Promise<IknpReceiver> {
    requireWindowFits(channel, LAMBDA, LARGEST_BATCH, 'IknpReceiver');
    return new IknpReceiver(channel, await ReceiverCore.setup(channel, LAMBDA));
  }

  /** Sets up from 128 OTs run elsewhere in which this party was the sender of `keys0`, `keys1`. */
  static fromBaseOts(channel: Channel, keys0: Uint8Array, keys1: Uint8Array): IknpReceiver {
    requireWindowFits(channel, LAMBDA, LARGEST_BATCH, 'IknpReceiver');
    return new IknpReceiver(channel, receiverCoreFrom(LAMBDA, keys0, keys1));
  }

  /**
   * One extension: each batch's columns out, the sender's reply of `replyBytes(count)`
   * bytes (none when 0) back, pipelined (pipelineBatches).
   */
  async #extend(
    choices: Uint8Array,
    blocksPerOt: number,
    replyBytes: (count: number) => number,
    step: ReceiverStep,
  ): Promise<void> {
    await this.#extendRows(choices, replyBytes, (b, t, reply) =>
      step(b, padHash(t.subarray(0, 16 * b.count), b.tweak, blocksPerOt), reply),
    );
  }

  /** Like #extend, keeping the rows t_j for flavours that need only ℓ bits of each pad. */
  async #extendRows(
    choices: Uint8Array,
    replyBytes: (count: number) => number,
    step: ReceiverRowsStep,
  ): Promise<void> {
    requireChoices(choices, 2, 'iknp receiver');
    const { core, channel } = this;
    await pipelineBatches(
      core,
      core.batches(choices.length),
      (b) => sendChoiceColumns(this, choices, b),
      async (b, t) => {
        const bytes = replyBytes(b.count);
        step(b, t, bytes ? await channel.recv(bytes, 'iknp: sender reply') : EMPTY);
      },
    );
  }

  /** n = choices.length random OTs: returns the chosen 16-byte pad of every OT. */
  async randomOt(choices: Uint8Array): Promise<Uint8Array> {
    const out = new Uint8Array(16 * choices.length);
    await this.#extend(
      choices,
      1,
      () => 0,
      (b, h) => out.set(h, 16 * b.first),
    );
    return out;
  }

  /** Correlated OT over Z_2^ℓ: returns m0 + r_j·Δ_j (or m0 ⊕ r_j·Δ_j) per OT. */
  async correlatedOt(
    choices: Uint8Array,
    ell: number,
    op: Correlation = 'add',
  ): Promise<Uint32Array> {
    requireWidth(ell, 64, 'correlatedOt');
    const wpv = wordsPerValue(ell);
    const out = new Uint32Array(choices.length * wpv);
    await this.#extendRows(
      choices,
      (count) => packedBytes(count, ell),
      (b, t, reply) => {
        const y = unpackValues(reply, b.count, ell);
        selectByChoice(y, choices.subarray(b.first), wpv);
        const x = tccrHashValues(t, undefined, b.count, ell, b.tweak);
        if (op === 'add') ringAddInto(x, x, y, ell);
        else xorValues(x, x, y, x.length);
        out.set(x, b.first * wpv);
      },
    );
    return out;
  }

  /** Correlated OT of 128-bit strings: returns m0 ⊕ r_j·Δ_j (16n bytes). */
  async correlatedOt128(choices: Uint8Array): Promise<Uint8Array> {
    const out = new Uint8Array(16 * choices.length);
    await this.#extend(
      choices,
      1,
      (count) => 16 * count,
      (b, h, reply) => {
        const y = new Uint32Array(reply.buffer, reply.byteOffset, reply.byteLength >>> 2);
        selectByChoice(y, choices.subarray(b.first), 4);
        xorInto(h, reply);
        out.set(h, 16 * b.first);
      },
    );
    return out;
  }

  /** Chosen-message OT of ℓ-bit values: returns m_{r_j} per OT (project layout). */
  async chosenOt(choices: Uint8Array, ell: number): Promise<Uint32Array> {
    requireWidth(ell, 64, 'chosenOt');
    const wpv = wordsPerValue(ell);
    const out = new Uint32Array(choices.length * wpv);
    await this.#extendRows(
      choices,
      (count) => 2 * packedBytes(count, ell),
      (b, t, reply) => {
        const half = packedBytes(b.count, ell);
        const y0 = unpackValues(reply.subarray(0, half), b.count, ell);
        const y1 = unpackValues(reply.subarray(half), b.count, ell);
        const x = tccrHashValues(t, undefined, b.count, ell, b.tweak);
        const r = choices.subarray(b.first);
        for (let j = 0; j < b.count; j++) {
          const m = -r[j]!;
          for (let w = j * wpv; w < (j + 1) * wpv; w++) {
            x[w] = (x[w]! ^ (y0[w]! & ~m) ^ (y1[w]! & m)) >>> 0;
          }
        }
        out.set(x, b.first * wpv);
      },
    );
    return out;
  }

  /** Chosen-message OT of L-byte strings: returns m_{r_j} per OT (nL bytes). */
  async chosenOtBytes(choices: Uint8Array, messageBytes: number): Promise<Uint8Array> {
    if (!Number.isInteger(messageBytes) || messageBytes < 1) {
      throw new OtError('BAD_WIDTH', `chosenOtBytes: message length ${messageBytes}`);
    }
    const blocks = Math.ceil(messageBytes / 16);
    const out = new Uint8Array(choices.length * messageBytes);
    await this.#extend(
      choices,
      blocks,
      (count) => 2 * count * messageBytes,
      (b, h, reply) => {
        const bytes = b.count * messageBytes;
        const x = truncateBlocks(h, b.count, blocks, messageBytes);
        if (messageBytes % 8 === 0) {
          selectLanes(x, reply, bytes, choices.subarray(b.first), messageBytes);
          out.set(x, b.first * messageBytes);
          return;
        }
        for (let j = 0; j < b.count; j++) {
          const m = -choices[b.first + j]! & 0xff;
          for (let k = j * messageBytes; k < (j + 1) * messageBytes; k++) {
            x[k] = x[k]! ^ (reply[k]! & ~m) ^ (reply[bytes + k]! & m);
          }
        }
        out.set(x, b.first * messageBytes);
      },
    );
    return out;
  }
}

const EMPTY = new Uint8Array(0);

/** Zeroes the `wpv` words of value j unless choice j is 1, without a branch. */
function selectByChoice(y: Uint32Array, choices: Uint8Array, wpv: number): void {
  for (let j = 0, w = 0; w < y.length; j++) {
    const m = -choices[j]!;
    for (let k = 0; k < wpv; k++, w++) y[w] = (y[w]! & m) >>> 0;
  }
}

/** Lane masks by choice bit: selection without a branch on it. */
const LANE_MASK = [0n, 0xffffffffffffffffn];

/**
 * x ⊕= (r_j ? y1 : y0) per OT of `bytesPerOt` bytes (a multiple of 8), y0 then y1 in
 * `reply`, on 64-bit lanes (the fastest plain-JS XOR in V8).
 */
function selectLanes(
  x: Uint8Array,
  reply: Uint8Array,
  half: number,
  choices: Uint8Array,
  bytesPerOt: number,
): void {
  const xl = new BigUint64Array(x.buffer, x.byteOffset, x.byteLength >>> 3);
  const y0 = new BigUint64Array(reply.buffer, reply.byteOffset, half >>> 3);
  const y1 = new BigUint64Array(reply.buffer, reply.byteOffset + half, half >>> 3);
  const lanes = bytesPerOt >>> 3;
  if (lanes === 2) {
    for (let j = 0, w = 0; w < xl.length; j++, w += 2) {
      const m = LANE_MASK[choices[j]!]!;
      const a0 = y0[w]!;
      const a1 = y0[w + 1]!;
      xl[w] = xl[w]! ^ a0 ^ ((a0 ^ y1[w]!) & m);
      xl[w + 1] = xl[w + 1]! ^ a1 ^ ((a1 ^ y1[w + 1]!) & m);
    }
    return;
  }
  for (let j = 0, w = 0; w < xl.length; j++) {
    const m = LANE_MASK[choices[j]!]!;
    for (let k = 0; k < lanes; k++, w++) xl[w] = xl[w]! ^ y0[w]! ^ ((y0[w]! ^ y1[w]!) & m);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The first L bytes of each OT's `blocks` hash blocks, as n·L contiguous bytes (may alias h). */
function truncateBlocks(
  h: Uint8Array,
  n: number,
  blocks: number,
  messageBytes: number,
): Uint8Array {
  if (messageBytes === 16 * blocks) return h.subarray(0, n * messageBytes);
  const out = new Uint8Array(n * messageBytes);
  for (let j = 0; j < n; j++) {
    out.set(h.subarray(16 * blocks * j, 16 * blocks * j + messageBytes), j * messageBytes);
  }
  return out;
}

/**
 * The sender's pads of a batch: H(j, q_j) and H(j, q_j ⊕ s), j counted from `tweak`. Pads
 * longer than one block hash each block with its own tweak.
 */
function padHashes(
  q: Uint8Array,
  s: Uint8Array,
  tweak: number,
  blocksPerOt: number,
): [Uint8Array, Uint8Array] {
  if (blocksPerOt === 1) return [tccrHashMasked(q, undefined, tweak), tccrHashMasked(q, s, tweak)];
  const qs = q.slice();
  xorEachBlock(qs, s);
  return [padHash(q, tweak, blocksPerOt), padHash(qs, tweak, blocksPerOt)];
}

function padHash(rows: Uint8Array, tweak: number, blocksPerOt: number): Uint8Array {
  return blocksPerOt === 1
    ? tccrHashMasked(rows, undefined, tweak)
    : tccrHash(repeatBlocks(rows, blocksPerOt), tweak, blocksPerOt);
}

/** `blocks` with every 16-byte block repeated `times` times in a row. */
function repeatBlocks(blocks: Uint8Array, times: number): Uint8Array {
  if (times === 1) return blocks;
  const n = blocks.byteLength >>> 4;
  const out = new Uint8Array(blocks.byteLength * times);
  for (let j = 0; j < n; j++) {
    const row = blocks.subarray(16 * j, 16 * j + 16);
    for (let k = 0; k < times; k++) out.set(row, 16 * (j * times + k));
  }
  return out;
}

/**
 * RECEIVER: batch b's columns u of the IKNP matrix for its choice bits, sent; returns the rows
 * t_j its pads are hashed from. Shared by every receiver flavour over IKNP.
 */
export async function sendChoiceColumns(
  receiver: IknpReceiver,
  choices: Uint8Array,
  b: Batch,
): Promise<Uint8Array> {
  const r = packBits(choices.subarray(b.first, b.first + b.count), b.padded >>> 3);
  const { u, t } = receiver.core.encode(b, r, true);
  await receiver.channel.send(u);
  return t;
}
