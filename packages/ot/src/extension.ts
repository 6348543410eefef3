/**
 * The matrix step shared by IKNP (width λ = 128) and KK13 (width 256): from `width` base OTs
 * run in the opposite direction, each batch of OTs costs the receiver one message of
 * `width` bit-columns, u_i = G(k_i^0) ⊕ G(k_i^1) ⊕ c_i, where c_i is column i of its choice
 * matrix (the choice bits for IKNP, the codewords for KK13). The sender forms
 * q_i = G(k_i^{s_i}) ⊕ s_i·u_i, so that row j satisfies q_j = t_j ⊕ (c_j ∧ s).
 *
 * Both parties keep one AES-CTR stream per column, so the base OTs are run once and every
 * later extension continues the streams; `used` counts OTs so hash tweaks never repeat.
 * Computation is padded to a multiple of 128 OTs (whole words and transpose tiles); the
 * wire carries ⌈n/8⌉ bytes per column.
 */
import type { Channel } from '@secinfer/transport/core';
import { AesPrg } from './aes.js';
import { baseOtReceive, baseOtSend } from './base-ot.js';
import { OtError, requireChoices, requireLength } from './errors.js';
import { transposeFilled } from './kernels/transpose-wasm.js';
import { randomBits } from './random.js';

/** OTs per message: large enough for full-speed AES calls, small enough to overlap. */
export const BATCH = 1 << 17;

/** One batch of `count` OTs starting at OT `first` of this call. */
export interface Batch {
  first: number;
  count: number;
  /** count rounded up to a multiple of 128. */
  padded: number;
  /** Global OT index of the batch's first OT, for hash tweaks. */
  tweak: number;
}

/**
 * Column bytes a receiver may have sent and not yet had answered: far below a transport's
 * receive high-water mark (256 MiB by default), so the sender's side keeps reading them even
 * while the sender itself waits to send a reply.
 */
const COLUMN_BUDGET = 8 * 2 ** 20;

/** OTs of the largest batch a receiver sends (vector COT's, of one-word values). */
export const LARGEST_BATCH = 1 << 20;

/**
 * Rejects, before any I/O, a channel whose receive high-water mark the in-flight window of
 * pipelineBatches could reach: `width` columns of batches up to `largestBatch` OTs, at most
 * max(3 batches, COLUMN_BUDGET + 1 batch) unanswered. Past the mark the peer stops reading
 * while this side waits for it: a deadlock until the idle timeout. Both parties check their
 * own channel (the transports are configured alike on both sides).
 */
export function requireWindowFits(
  channel: Channel,
  width: number,
  largestBatch: number,
  what: string,
): void {
  const mark = channel.receiveHighWaterMark;
  const batchBytes = width * wireColumnBytes(largestBatch);
  const window = Math.max(3 * batchBytes, COLUMN_BUDGET + batchBytes);
  if (mark !== undefined && window >= mark)
    throw new OtError(
      'WINDOW_EXCEEDS_BUFFER',
      `${what}: up to ${window} column bytes may be in flight, not below the channel's receive ` +
        `high-water mark of ${mark}: raise receiveHighWaterMark on both parties' transports`,
    );
}

/**
 * The receiver's side of an extension, batch by batch: `send` a batch's columns (returning
 * what its reply needs), `receive` the sender's reply, in order, with at most
 * max(2, COLUMN_BUDGET / a batch's column bytes) batches unanswered. Transfer and compute
 * overlap and a long link stays full (8 MiB exceeds the paper's WAN bandwidth-delay product,
 * 40 MB/s × 80 ms), while what is in flight stays bounded: sending every batch first
 * deadlocked, until the idle timeout, once both directions outgrew the transport's buffers (a
 * large layer's replies backing up while its columns were still going out) — and kept every
 * batch's pads in memory.
 */
export async function pipelineBatches<T>(
  core: { uBytes(b: Batch): number },
  batches: Iterable<Batch>,
  send: (b: Batch) => Promise<T>,
  receive: (b: Batch, state: T) => Promise<void>,
): Promise<void> {
  const unanswered: [Batch, T][] = [];
  let window = 2;
  for (const b of batches) {
    if (unanswered.length === 0) window = Math.max(2, Math.floor(COLUMN_BUDGET / core.uBytes(b)));
    unanswered.push([b, await send(b)]);
    if (unanswered.length > window) {
      const [oldest, state] = unanswered.shift()!;
      await receive(oldest, state);
    }
  }
  for (const [b, state] of unanswered) await receive(b, state);
}

export function wireColumnBytes(count: number): number {
  return Math.ceil(count / 8);
}

abstract class Core {
  used = 0;
  constructor(readonly width: number) {}
  /** Splits a call of n OTs into batches and reserves their tweaks. */
  batches(n: number, batch = BATCH): Batch[] {
    const out: Batch[] = [];
    for (let first = 0; first < n; first += batch) {
      const count = Math.min(batch, n - first);
      const padded = Math.ceil(count / 128) * 128;
      out.push({ first, count, padded, tweak: this.used });
      this.used += padded;
    }
    return out;
  }
  /** Bytes of u for a batch. */
  uBytes(b: Batch): number {
    return this.width * wireColumnBytes(b.count);
  }
}

/** The extension receiver: knows both seeds of every column (it was the base-OT sender). */
export class ReceiverCore extends Core {
  readonly #g0: AesPrg[];
  readonly #g1: AesPrg[];
  constructor(width: number, keys0: Uint8Array, keys1: Uint8Array) {
    super(width);
    this.#g0 = columns(width, keys0);
    this.#g1 = columns(width, keys1);
  }
  static async setup(channel: Channel, width: number): Promise<ReceiverCore> {
    const { keys0, keys1 } = await baseOtSend(channel, width);
    return new ReceiverCore(width, keys0, keys1);
  }
  /**
   * The message u for one batch and the receiver's rows t_j (padded × width/8 bytes).
   * `choiceColumns` is the width × padded bit matrix of choices, or for IKNP the one choice
   * column shared by all.
   */
  encode(b: Batch, choiceColumns: Uint8Array, shared: boolean): { u: Uint8Array; t: Uint8Array } {
    const colBytes = b.padded >>> 3;
    const wireBytes = wireColumnBytes(b.count);
    // 64-bit lanes: BigUint64 XOR is the fastest plain-JS XOR in V8. PRG outputs are 8-aligned.
    const colWords = colBytes >>> 3;
    const u = new Uint8Array(this.width * colBytes);
    const uw = new BigUint64Array(u.buffer);
    const cw = new BigUint64Array(choiceColumns.buffer, choiceColumns.byteOffset);
    // t is written straight into the transpose kernel's memory.
    const t = transposeFilled(this.width, b.padded, (input) => {
      for (let i = 0; i < this.width; i++) {
        const ti = this.#g0[i]!.next(colBytes);
        input.set(ti, i * colBytes);
        const g1 = this.#g1[i]!.next(colBytes);
        xor3(uw, i * colWords, ti, g1, cw, shared ? 0 : i * colWords, colWords);
      }
    });
    return { u: compactColumns(u, this.width, colBytes, wireBytes), t };
  }
}

/** The extension sender: holds s and the seeds k_i^{s_i} (it was the base-OT receiver). */
export class SenderCore extends Core {
  readonly #g: AesPrg[];
  /** s as width/8 bytes, least significant bit first. */
  readonly s: Uint8Array;
  readonly #sBits: Uint8Array;
  constructor(width: number, sBits: Uint8Array, keys: Uint8Array) {
    super(width);
    this.#sBits = sBits;
    this.s = new Uint8Array(width / 8);
    for (let i = 0; i < width; i++) this.s[i >>> 3]! |= sBits[i]! << (i & 7);
    this.#g = columns(width, keys);
  }
  static async setup(channel: Channel, width: number): Promise<SenderCore> {
    const sBits = randomBits(width);
    const keys = await baseOtReceive(channel, sBits);
    return new SenderCore(width, sBits, keys);
  }
  /** The sender's rows q_j = t_j ⊕ (c_j ∧ s) for one batch, from the receiver's u. */
  decode(b: Batch, u: Uint8Array): Uint8Array {
    const colBytes = b.padded >>> 3;
    const wireBytes = wireColumnBytes(b.count);
    const colWords = colBytes >>> 3;
    const full = expandColumns(u, this.width, colBytes, wireBytes);
    const uw = new BigUint64Array(full.buffer, full.byteOffset, full.byteLength >>> 3);
    // q is written straight into the transpose kernel's memory.
    return transposeFilled(this.width, b.padded, (q) => {
      const qw = new BigUint64Array(q.buffer, q.byteOffset, q.byteLength >>> 3);
      for (let i = 0; i < this.width; i++) {
        const g = this.#g[i]!.next(colBytes);
        xorMasked(qw, i * colWords, g, uw, this.#sBits[i] ? ALL_ONES : 0n, colWords);
      }
    });
  }
}

/** Drops each column's padding bytes for the wire (a no-op when there are none). */
function compactColumns(u: Uint8Array, width: number, colBytes: number, wireBytes: number) {
  if (colBytes === wireBytes) return u;
  const out = new Uint8Array(width * wireBytes);
  for (let i = 0; i < width; i++) {
    out.set(u.subarray(i * colBytes, i * colBytes + wireBytes), i * wireBytes);
  }
  return out;
}

/** The inverse of compactColumns, zero-filling the padding. */
function expandColumns(u: Uint8Array, width: number, colBytes: number, wireBytes: number) {
  if (colBytes === wireBytes && (u.byteOffset & 7) === 0) return u;
  const out = new Uint8Array(width * colBytes);
  for (let i = 0; i < width; i++) {
    out.set(u.subarray(i * wireBytes, i * wireBytes + wireBytes), i * colBytes);
  }
  return out;
}

const ALL_ONES = 0xffffffffffffffffn;

/** out[at + k] = g[k] ^ (u[at + k] & mask) for k < lanes. */
function xorMasked(
  out: BigUint64Array,
  at: number,
  g: Uint8Array,
  u: BigUint64Array,
  mask: bigint,
  lanes: number,
): void {
  const gl = new BigUint64Array(g.buffer, g.byteOffset, lanes);
  for (let k = 0; k < lanes; k++) out[at + k] = gl[k]! ^ (u[at + k]! & mask);
}

// The XOR loops live in small standalone functions: V8 optimises them far better there
// than inside the per-batch closures (measured 2× on encode).

/** out[at + k] = a[k] ^ b[k] ^ c[cAt + k] for k < lanes, on 64-bit lanes. */
function xor3(
  out: BigUint64Array,
  at: number,
  a: Uint8Array,
  b: Uint8Array,
  c: BigUint64Array,
  cAt: number,
  lanes: number,
): void {
  const al = new BigUint64Array(a.buffer, a.byteOffset, lanes);
  const bl = new BigUint64Array(b.buffer, b.byteOffset, lanes);
  for (let k = 0; k < lanes; k++) out[at + k] = al[k]! ^ bl[k]! ^ c[cAt + k]!;
}

/** A sender core from `width` OTs this party received elsewhere (choices `s` as 0/1 bytes). */
export function senderCoreFrom(width: number, s: Uint8Array, keys: Uint8Array): SenderCore {
  requireChoices(s, 2, 'base OT choices');
  requireLength(s.length, width, 'base OT choices');
  requireLength(keys.length, 16 * width, 'base OT keys');
  return new SenderCore(width, s, keys);
}

/** A receiver core from `width` OTs this party sent elsewhere (16-byte keys each). */
export function receiverCoreFrom(
  width: number,
  keys0: Uint8Array,
  keys1: Uint8Array,
): ReceiverCore {
  requireLength(keys0.length, 16 * width, 'base OT keys0');
  requireLength(keys1.length, 16 * width, 'base OT keys1');
  return new ReceiverCore(width, keys0, keys1);
}

function columns(width: number, keys: Uint8Array): AesPrg[] {
  const out: AesPrg[] = [];
  for (let i = 0; i < width; i++) out.push(new AesPrg(keys.subarray(16 * i, 16 * i + 16)));
  return out;
}
