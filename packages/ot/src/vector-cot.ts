/**
 * Vector correlated OT on IKNP: one choice bit r_j selects a whole vector of k correlations,
 * each reduced to the OT's own width w_j ≤ ℓ. This is the OT that CrypTFlow2's linear layers
 * on OT need (one OT per bit of a shared matrix entry, the other party's matrix row as the
 * vector Δ), and where the bit-i OT needs only ℓ − i bits per value.
 *
 * IKNP gives the sender rows q_j and q_j ⊕ s, the receiver t_j = q_j ⊕ r_j·s. Both hash their
 * rows once with the correlation-robust H(x) = π(x) ⊕ x into 128-bit seeds and expand each
 * seed with fixed-key AES in counter mode, block c of OT j being π(x) ⊕ x, x = seed_j ⊕ c: one AES pass
 * per 16 bytes of pad, no key schedule per OT. For ℓ ≤ 32 a value of w ≤ 8 bits takes a byte
 * lane of the pad, w ≤ 16 a half word, else a word (~30 % less AES than whole words); for
 * ℓ > 32 a value of more than 32 bits takes two words. Pads are masked to w_j bits.
 *
 *   sender:   m0_j = P0_j mod 2^w_j, sends y_j = P0_j + Δ_j − P1_j mod 2^w_j (k values)
 *   receiver: P_{r_j} + r_j·y_j = m0_j + r_j·Δ_j mod 2^w_j
 *
 * Wire per batch: the receiver's IKNP columns (16 B per OT, ⌈count/8⌉ B per column), then the
 * sender's y values of the batch as one bit stream, ⌈k·Σ_j w_j / 8⌉ bytes. Batches hold ~2^20
 * pad words so that a reply stays a few MiB and both parties overlap; within a batch, chunks
 * of ~2^15 values keep pads and outputs in cache: a sink is called once per chunk, or the
 * kernels accumulate the outputs straight into the caller's rows (VectorCotAccumulator).
 */
import type { Channel } from '@secinfer/transport';
import { crHash, crHashMasked, fixedKeyPermute } from './aes.js';
import { OtError, requireChoices, requireLength, requireWidth } from './errors.js';
import type { Batch } from './extension.js';
import type { IknpReceiver, IknpSender } from './iknp.js';
import { packBits, wordsPerValue } from './kernels/pack.js';
import { xorInto } from './kernels/xor.js';

/** The shape of a vector-COT call, identical on both sides. */
export interface VectorCotShape {
  /** Values per OT (the length k of every correlation vector), k ≥ 1. */
  k: number;
  /** The ring width ℓ ≤ 64 fixing the value layout (one word per value up to 32 bits). */
  ell: number;
  /** Width w_j ∈ 1..ℓ of OT j's values; its length is the number of OTs. */
  widths: Uint8Array;
}

/**
 * Receives the outputs chunk by chunk as they are computed: OTs first..first+count−1, k values
 * each (OT j's values at [(j − first)·k·words, ...)), canonical mod 2^{w_j}. The buffer is
 * reused by the next chunk: consume it before returning.
 */
export type VectorCotSink = (first: number, count: number, values: Uint32Array) => void;

/**
 * Instead of a sink: each OT's values, reduced mod 2^{w_j} and multiplied by 2^{shifts[j]},
 * are subtracted (sender, its m0) or added (receiver, m0 + r_j·Δ_j) into row `targets[j]` of
 * `acc` (rows of k values, Z_2^ℓ layout, arithmetic mod 2^32 for ℓ ≤ 32, mod 2^64 above). OT
 * j then adds 2^{shifts[j]}·r_j·Δ_j to the sum of the two accumulators modulo 2^{w_j + shifts[j]}
 * (the reductions mod 2^{w_j} carry out there), so with w_j + shifts[j] = L for every OT they
 * hold additive shares mod 2^L of Σ_j 2^{shifts[j]}·r_j·Δ_j in row targets[j] — a matrix
 * product's bit decomposition (L = ℓ, w_j = ℓ − i), with no per-OT output materialised.
 */
export interface VectorCotAccumulator {
  acc: Uint32Array;
  /** Row of `acc` per OT. */
  targets: Uint32Array;
  /** Power of two per OT, below 32 (ℓ ≤ 32) or 64. */
  shifts: Uint8Array;
}

/** Where a call's outputs go. */
export type VectorCotOutput = VectorCotSink | VectorCotAccumulator;

/** Values per batch (one IKNP extension, one reply of ≤ 4 MiB): large, yet overlapping. */
const BATCH_WORDS = 1 << 20;

/** OTs per batch for vectors of k values (a multiple of 128, the IKNP tile). */
export function vectorCotBatchSize(k: number, ell: number): number {
  const perOt = k * wordsPerValue(ell);
  return Math.max(128, Math.floor(BATCH_WORDS / perOt / 128) * 128);
}

function checkOutput(out: VectorCotOutput, shape: VectorCotShape, what: string): void {
  if (typeof out === 'function') return;
  const n = shape.widths.length;
  requireLength(out.targets.length, n, `${what}: targets`);
  requireLength(out.shifts.length, n, `${what}: shifts`);
  const rowWords = shape.k * wordsPerValue(shape.ell);
  const rows = out.acc.length / rowWords;
  if (!Number.isInteger(rows))
    throw new OtError('BAD_LENGTH', `${what}: acc is not whole rows of ${shape.k} values`);
  const maxShift = shape.ell > 32 ? 64 : 32;
  for (let j = 0; j < n; j++) {
    if (out.targets[j]! >= rows)
      throw new OtError('BAD_LENGTH', `${what}: targets[${j}]=${out.targets[j]} ≥ ${rows} rows`);
    if (out.shifts[j]! >= maxShift)
      throw new OtError('BAD_WIDTH', `${what}: shifts[${j}]=${out.shifts[j]} ≥ ${maxShift}`);
  }
}

function checkShape(shape: VectorCotShape, what: string): void {
  requireWidth(shape.ell, 64, what);
  if (!Number.isSafeInteger(shape.k) || shape.k < 1)
    throw new OtError('BAD_COUNT', `${what}: k=${shape.k} is not a positive count`);
  const { widths, ell } = shape;
  for (let j = 0; j < widths.length; j++) {
    if (widths[j]! < 1 || widths[j]! > ell)
      throw new OtError('BAD_WIDTH', `${what}: width[${j}]=${widths[j]} is outside 1..${ell}`);
  }
}

/**
 * Sender side: OT j carries the vector Δ = row `rows[j]` of `deltas` (k values per row, Z_2^ℓ
 * layout) reduced mod 2^{w_j}; `output` gets the sender's random m0 vectors chunk by chunk
 * (a sink) or subtracts them, shifted, from an accumulator.
 */
export async function vectorCotSend(
  sender: IknpSender,
  deltas: Uint32Array,
  rows: Uint32Array,
  shape: VectorCotShape,
  output: VectorCotOutput,
): Promise<void> {
  checkShape(shape, 'vectorCotSend');
  checkOutput(output, shape, 'vectorCotSend');
  const { k, ell, widths } = shape;
  const n = widths.length;
  requireLength(rows.length, n, 'vectorCotSend: rows');
  const wpv = wordsPerValue(ell);
  const rowCount = deltas.length / (k * wpv);
  if (!Number.isInteger(rowCount))
    throw new OtError('BAD_LENGTH', 'vectorCotSend: deltas is not whole rows of k values');
  for (let j = 0; j < n; j++) {
    if (rows[j]! >= rowCount)
      throw new OtError('BAD_LENGTH', `vectorCotSend: rows[${j}]=${rows[j]} ≥ ${rowCount}`);
  }
  const { core, channel } = sender;
  const batchSize = vectorCotBatchSize(k, ell);
  const chunk = chunkSize(k, wpv, Math.min(n, batchSize));
  const emit = new ChunkOutput(output, chunk, k, wpv, -1);
  const scratch = padScratch(chunk, k, wpv);
  for (const b of core.batches(n, batchSize)) {
    const u = await channel.recv(core.uBytes(b), 'vector cot: matrix columns');
    const q = core.decode(b, u).subarray(0, 16 * b.count);
    const seeds0 = crHash(q);
    const seeds1 = crHashMasked(q, core.s);
    const reply = new Int32Array(Math.ceil(bitsOf(widths, b.first, b.count, k) / 32) + 1);
    // Chunks of the batch keep the pads and the outputs in cache.
    for (let c0 = 0, bit = 0; c0 < b.count; c0 += chunk) {
      const first = b.first + c0;
      const count = Math.min(chunk, b.count - c0);
      const w = widths.subarray(first, first + count);
      const offsets = padOffsets(w, k, wpv);
      const p0 = expandSeeds(seeds0.subarray(16 * c0, 16 * (c0 + count)), offsets, scratch);
      const p1 = expandSeeds(seeds1.subarray(16 * c0, 16 * (c0 + count)), offsets, scratch);
      const r = rows.subarray(first, first + count);
      if (wpv === 1) {
        const [acc, targets, shifts] = emit.begin(first, count);
        senderStep32(p0, p1, int32(deltas), r, w, k, offsets, acc, targets, shifts, reply, bit);
      } else {
        const m0 = emit.values;
        senderStep64(p0, p1, deltas, r, w, k, offsets, m0, new Uint32Array(reply.buffer), bit);
      }
      emit.end(first, count);
      bit += bitsOf(widths, first, count, k);
    }
    await send(channel, reply, Math.ceil(bitsOf(widths, b.first, b.count, k) / 8));
  }
}

/**
 * Receiver side: OT j chooses choices[j] ∈ {0, 1}; `output` gets m0 + r_j·Δ_j mod 2^{w_j}
 * chunk by chunk (a sink) or adds it, shifted, into an accumulator.
 */
export async function vectorCotReceive(
  receiver: IknpReceiver,
  choices: Uint8Array,
  shape: VectorCotShape,
  output: VectorCotOutput,
): Promise<void> {
  checkShape(shape, 'vectorCotReceive');
  checkOutput(output, shape, 'vectorCotReceive');
  const { k, ell, widths } = shape;
  requireLength(choices.length, widths.length, 'vectorCotReceive: choices');
  requireChoices(choices, 2, 'vectorCotReceive');
  const wpv = wordsPerValue(ell);
  const { core, channel } = receiver;
  const batchSize = vectorCotBatchSize(k, ell);
  const pending: [Batch, Uint8Array][] = [];
  for (const b of core.batches(choices.length, batchSize)) {
    const r = packBits(choices.subarray(b.first, b.first + b.count), b.padded >>> 3);
    const { u, t } = core.encode(b, r, true);
    await channel.send(u);
    pending.push([b, t]);
  }
  const chunk = chunkSize(k, wpv, Math.min(choices.length, batchSize));
  const emit = new ChunkOutput(output, chunk, k, wpv, 1);
  const scratch = padScratch(chunk, k, wpv);
  for (const [b, t] of pending) {
    const bytes = Math.ceil(bitsOf(widths, b.first, b.count, k) / 8);
    const y = alignedWords(await channel.recv(bytes, 'vector cot: sender reply'));
    const seeds = crHash(t.subarray(0, 16 * b.count));
    for (let c0 = 0, bit = 0; c0 < b.count; c0 += chunk) {
      const first = b.first + c0;
      const count = Math.min(chunk, b.count - c0);
      const w = widths.subarray(first, first + count);
      const offsets = padOffsets(w, k, wpv);
      const p = expandSeeds(seeds.subarray(16 * c0, 16 * (c0 + count)), offsets, scratch);
      const c = choices.subarray(first, first + count);
      if (wpv === 1) {
        const [acc, targets, shifts] = emit.begin(first, count);
        receiverStep32(p, int32(y), c, w, k, offsets, acc, targets, shifts, bit);
      } else receiverStep64(p, y, c, w, k, offsets, emit.values, bit);
      emit.end(first, count);
      bit += bitsOf(widths, first, count, k);
    }
  }
}

/**
 * One call's outputs, chunk by chunk. For ℓ ≤ 32 the kernels accumulate: into the caller's
 * accumulator, or (for a sink) into a zeroed chunk buffer with each OT its own row and shift 0,
 * the sender's negated m0 negated back before the sink sees it. For ℓ > 32 the kernels write
 * the values into the chunk buffer, then handed to the sink or accumulated here.
 */
class ChunkOutput {
  readonly values: Uint32Array;
  readonly #identity: Uint32Array;
  readonly #zeros: Uint8Array;
  constructor(
    readonly output: VectorCotOutput,
    chunk: number,
    readonly k: number,
    readonly wpv: number,
    readonly sign: 1 | -1,
  ) {
    this.values = new Uint32Array(chunk * k * wpv);
    this.#identity = Uint32Array.from({ length: chunk }, (_, j) => j);
    this.#zeros = new Uint8Array(chunk);
  }
  /** The ℓ ≤ 32 kernels' accumulator, row per OT and shift per OT for OTs [first, +count). */
  begin(first: number, count: number): [Int32Array, Uint32Array, Uint8Array] {
    const out = this.output;
    if (typeof out !== 'function')
      return [
        int32(out.acc),
        out.targets.subarray(first, first + count),
        out.shifts.subarray(first, first + count),
      ];
    this.values.fill(0, 0, count * this.k);
    return [int32(this.values), this.#identity, this.#zeros];
  }
  end(first: number, count: number): void {
    const out = this.output;
    const words = count * this.k * this.wpv;
    const v = this.values.subarray(0, words);
    if (typeof out === 'function') {
      if (this.wpv === 1 && this.sign === -1) for (let i = 0; i < words; i++) v[i] = -v[i]!;
      out(first, count, v);
    } else if (this.wpv === 2) {
      accumulate64(out, v, first, count, this.k, this.sign);
    }
  }
}

/** acc[targets[j]] += sign·2^{shifts[j]}·v_j mod 2^64 for the OTs of a chunk (ℓ > 32). */
function accumulate64(
  out: VectorCotAccumulator,
  values: Uint32Array,
  first: number,
  count: number,
  k: number,
  sign: 1 | -1,
): void {
  const { acc, targets, shifts } = out;
  for (let j = 0; j < count; j++) {
    const i = shifts[first + j]!;
    const o = 2 * targets[first + j]! * k;
    const v = 2 * j * k;
    for (let x = 0; x < 2 * k; x += 2) {
      const lo = values[v + x]!;
      const hi = values[v + x + 1]!;
      const sLo = i >= 32 ? 0 : (lo << i) >>> 0;
      const sHi = i === 0 ? hi : i < 32 ? (hi << i) | (lo >>> (32 - i)) : lo << (i - 32);
      const sum = acc[o + x]! + sign * sLo;
      acc[o + x] = sum;
      acc[o + x + 1] = acc[o + x + 1]! + sign * sHi + Math.floor(sum / 4294967296);
    }
  }
}

/** Bits of the sender's messages for OTs [first, first + count): k·Σ w_j. */
function bitsOf(widths: Uint8Array, first: number, count: number, k: number): number {
  let bits = 0;
  for (let j = first; j < first + count; j++) bits += widths[j]!;
  return bits * k;
}

/** Values per chunk: ~2^15 (128 KiB of output words), at least one OT. */
const CHUNK_VALUES = 1 << 15;

function chunkSize(k: number, wpv: number, batch: number): number {
  return Math.max(1, Math.min(batch, Math.floor(CHUNK_VALUES / (k * wpv))));
}

async function send(channel: Channel, words: Int32Array, bytes: number): Promise<void> {
  await channel.send(new Uint8Array(words.buffer, words.byteOffset, bytes));
}

/** The received bit stream as whole little-endian words (a copy, zero-padded by a word). */
function alignedWords(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(Math.ceil(bytes.byteLength / 4) + 1);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * log2 of the values per pad word for an OT of width w ≤ 32: a value of w ≤ 8 bits takes
 * a byte lane of the pad, w ≤ 16 a half word, else a word — ~30 % less AES than whole words.
 */
const laneLog = (w: number) => (w <= 8 ? 2 : w <= 16 ? 1 : 0);

/**
 * Where each OT's pad starts, in words, padded to whole AES blocks (offsets[count] = total):
 * 2k words for w > 32, else ⌈k / lanes⌉ words.
 */
function padOffsets(widths: Uint8Array, k: number, wpv: number): Uint32Array {
  const out = new Uint32Array(widths.length + 1);
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const words = wpv === 2 && w > 32 ? 2 * k : Math.ceil(k / (1 << laneLog(w)));
    out[j + 1] = out[j]! + 4 * Math.ceil(words / 4);
  }
  return out;
}

/** The AES input buffer of a call, reused by its batches: the most pad words a batch can need. */
function padScratch(count: number, k: number, wpv: number): Uint32Array {
  return new Uint32Array(count * 4 * Math.ceil((k * wpv) / 4));
}

/**
 * The pads (`input` is scratch space): block c of OT j is π(x) ⊕ x with x = seed_j ⊕ c (c in
 * the top word), one batched AES pass. The feed-forward matters: π is public, so a bare
 * π(seed ⊕ c) gives away the seed — and with it the whole pad, hence every correlation of the
 * OT — to a receiver that learns one full block of the pad it did not choose (four 32-bit
 * values of y = P0 + Δ − P1 whose Δ it can guess, e.g. zero weights).
 */
function expandSeeds(seeds: Uint8Array, offsets: Uint32Array, input: Uint32Array): Int32Array {
  const count = offsets.length - 1;
  const s = new Uint32Array(seeds.buffer, seeds.byteOffset, 4 * count);
  for (let j = 0; j < count; j++) {
    const a = s[4 * j]!;
    const b = s[4 * j + 1]!;
    const c = s[4 * j + 2]!;
    const d = s[4 * j + 3]!;
    for (let o = offsets[j]!, x = 0; o < offsets[j + 1]!; o += 4, x++) {
      input[o] = a;
      input[o + 1] = b;
      input[o + 2] = c;
      input[o + 3] = d ^ x;
    }
  }
  const x = new Uint8Array(input.buffer, 0, 4 * offsets[count]!);
  const h = fixedKeyPermute(x);
  xorInto(h, x);
  return new Int32Array(h.buffer, h.byteOffset, h.byteLength >>> 2);
}

/** An Int32Array view: loads are small integers to V8, the arithmetic stays in 32-bit words. */
function int32(a: Uint32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

const maskOf = (w: number) => (w >= 32 ? -1 : (1 << w) - 1);

/**
 * ℓ ≤ 32: acc[row] −= 2^shift·m0 with m0 = P0 mod 2^w; y = P0 + Δ − P1 mod 2^w packed into
 * `reply` as a bit stream (w bits per value, least significant first, across OTs).
 */
function senderStep32(
  p0: Int32Array,
  p1: Int32Array,
  deltas: Int32Array,
  rows: Uint32Array,
  widths: Uint8Array,
  k: number,
  offsets: Uint32Array,
  acc: Int32Array,
  targets: Uint32Array,
  shifts: Uint8Array,
  reply: Int32Array,
  start: number,
): void {
  let o = start >>> 5;
  let fill = start & 31;
  let word = reply[o]!;
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const mask = maskOf(w);
    const lg = laneLog(w);
    const lanes = (1 << lg) - 1;
    const base = offsets[j]!;
    const d = rows[j]! * k;
    const row = targets[j]! * k;
    const shift = shifts[j]!;
    for (let v = 0; v < k; v++) {
      const at = base + (v >>> lg);
      const sh = (v & lanes) << (5 - lg);
      const a = p0[at]! >>> sh;
      acc[row + v] = (acc[row + v]! - ((a & mask) << shift)) | 0;
      const y = (a + deltas[d + v]! - (p1[at]! >>> sh)) & mask;
      // Branch-free bit packing: the bits of y that spill into the next word are
      // y >>> (32 − fill), written as two shifts so that fill = 0 spills nothing.
      word |= y << fill;
      reply[o] = word;
      const spill = (y >>> 1) >>> (31 - fill);
      fill += w;
      const next = fill >>> 5;
      o += next;
      fill &= 31;
      word = (word & (next - 1)) | spill;
    }
  }
  reply[o] = word;
}

/** ℓ > 32: the same on (lo, hi) limbs; a value of width w > 32 travels as 32 + (w − 32) bits. */
function senderStep64(
  p0: Int32Array,
  p1: Int32Array,
  deltas: Uint32Array,
  rows: Uint32Array,
  widths: Uint8Array,
  k: number,
  offsets: Uint32Array,
  m0: Uint32Array,
  reply: Uint32Array,
  start: number,
): void {
  const out = new BitWriter(reply, start);
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const maskLo = maskOf(w);
    const loBits = Math.min(w, 32);
    const hiBits = w > 32 ? w - 32 : 0;
    const maskHi = w > 32 ? maskOf(hiBits) : 0;
    const base = offsets[j]!;
    const d = 2 * rows[j]! * k;
    const m = 2 * j * k;
    if (w <= 32) {
      // A narrow OT of a wide call: one pad lane per value, the high words are zero.
      const lg = laneLog(w);
      const lanes = (1 << lg) - 1;
      for (let v = 0; v < k; v++) {
        const at = base + (v >>> lg);
        const sh = (v & lanes) << (5 - lg);
        const a = p0[at]! >>> sh;
        m0[m + 2 * v] = a & maskLo;
        m0[m + 2 * v + 1] = 0;
        out.push((a + deltas[d + 2 * v]! - (p1[at]! >>> sh)) & maskLo, w);
      }
      continue;
    }
    for (let v = 0; v < 2 * k; v += 2) {
      const aLo = p0[base + v]! >>> 0;
      const aHi = p0[base + v + 1]!;
      m0[m + v] = aLo & maskLo;
      m0[m + v + 1] = aHi & maskHi;
      const lo = aLo + deltas[d + v]! - (p1[base + v]! >>> 0);
      const carry = Math.floor(lo / 4294967296);
      const hi = aHi + deltas[d + v + 1]! - p1[base + v + 1]! + carry;
      out.push(lo & maskLo, loBits);
      if (hiBits) out.push(hi & maskHi, hiBits);
    }
  }
  out.flush();
}

/** ℓ ≤ 32: acc[row] += 2^shift·(P + r·y mod 2^w), y read from the bit stream. */
function receiverStep32(
  p: Int32Array,
  y: Int32Array,
  choices: Uint8Array,
  widths: Uint8Array,
  k: number,
  offsets: Uint32Array,
  acc: Int32Array,
  targets: Uint32Array,
  shifts: Uint8Array,
  start: number,
): void {
  let at = start >>> 5;
  let pos = start & 31;
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const mask = maskOf(w);
    const sel = -choices[j]!;
    const lg = laneLog(w);
    const lanes = (1 << lg) - 1;
    const base = offsets[j]!;
    const row = targets[j]! * k;
    const shift = shifts[j]!;
    for (let v = 0; v < k; v++) {
      // Branch-free: the next word's bits enter at 32 − pos (none when pos = 0).
      const x = (y[at]! >>> pos) | ((y[at + 1]! << 1) << (31 - pos));
      pos += w;
      at += pos >>> 5;
      pos &= 31;
      const pad = p[base + (v >>> lg)]! >>> ((v & lanes) << (5 - lg));
      acc[row + v] = (acc[row + v]! + (((pad + (x & sel)) & mask) << shift)) | 0;
    }
  }
}

/** ℓ > 32: the same on (lo, hi) limbs. */
function receiverStep64(
  p: Int32Array,
  y: Uint32Array,
  choices: Uint8Array,
  widths: Uint8Array,
  k: number,
  offsets: Uint32Array,
  out: Uint32Array,
  start: number,
): void {
  const input = new BitReader(y, start);
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const maskLo = maskOf(w);
    const loBits = Math.min(w, 32);
    const hiBits = w > 32 ? w - 32 : 0;
    const maskHi = w > 32 ? maskOf(hiBits) : 0;
    const sel = -choices[j]!;
    const base = offsets[j]!;
    const m = 2 * j * k;
    if (w <= 32) {
      const lg = laneLog(w);
      const lanes = (1 << lg) - 1;
      for (let v = 0; v < k; v++) {
        const pad = p[base + (v >>> lg)]! >>> ((v & lanes) << (5 - lg));
        out[m + 2 * v] = (pad + (input.read(w) & sel)) & maskLo;
        out[m + 2 * v + 1] = 0;
      }
      continue;
    }
    for (let v = 0; v < 2 * k; v += 2) {
      const yLo = input.read(loBits) & sel;
      const yHi = hiBits ? input.read(hiBits) & sel : 0;
      const lo = (p[base + v]! >>> 0) + (yLo >>> 0);
      const carry = Math.floor(lo / 4294967296);
      out[m + v] = lo & maskLo;
      out[m + v + 1] = (p[base + v + 1]! + (yHi >>> 0) + carry) & maskHi;
    }
  }
}

/** Appends values of 1..32 bits to a word stream from bit `start`, least significant first. */
class BitWriter {
  #acc: number;
  #fill: number;
  #at: number;
  constructor(
    readonly words: Uint32Array,
    start: number,
  ) {
    this.#at = start >>> 5;
    this.#fill = start & 31;
    this.#acc = words[this.#at]!;
  }
  push(value: number, bits: number): void {
    this.#acc |= value << this.#fill;
    this.#fill += bits;
    if (this.#fill >= 32) {
      this.words[this.#at++] = this.#acc;
      this.#fill -= 32;
      this.#acc = this.#fill === 0 ? 0 : value >>> (bits - this.#fill);
    }
  }
  flush(): void {
    if (this.#fill > 0) this.words[this.#at] = this.#acc;
  }
}

/** Reads values of 1..32 bits from a word stream from bit `start` (one spare word at the end). */
class BitReader {
  #pos: number;
  #at: number;
  constructor(
    readonly words: Uint32Array,
    start: number,
  ) {
    this.#at = start >>> 5;
    this.#pos = start & 31;
  }
  read(bits: number): number {
    const pos = this.#pos;
    let x = this.words[this.#at]! >>> pos;
    if (pos + bits > 32) x |= this.words[this.#at + 1]! << (32 - pos);
    this.#pos += bits;
    if (this.#pos >= 32) {
      this.#pos -= 32;
      this.#at++;
    }
    return bits === 32 ? x >>> 0 : x & ((1 << bits) - 1);
  }
}
