/**
 * Vector correlated OT on IKNP: one choice bit r_j selects a whole vector of k correlations,
 * each reduced to the OT's own width w_j ≤ ℓ. This is the OT that CrypTFlow2's linear layers
 * on OT need (one OT per bit of a shared matrix entry, the other party's matrix row as the
 * vector Δ), and where the bit-i OT needs only ℓ − i bits per value.
 *
 * IKNP gives the sender rows q_j and q_j ⊕ s, the receiver t_j = q_j ⊕ r_j·s. Both hash their
 * rows once into 128-bit seeds with IKNP's tweakable hash H(j, x) = π(π(x) ⊕ j) ⊕ π(x), j the
 * OT's global index (as in iknp.ts, whose argument carries over: the seed of the pad the
 * receiver did not choose is one tweakable-hash output per tweak, pseudorandom to it), and
 * expand each seed with fixed-key AES in counter mode, block c of OT j being π(x) ⊕ x,
 * x = seed_j ⊕ c — a PRG on a pseudorandom seed, which needs no tweak: one AES pass
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
import type { Channel } from '@secinfer/transport/core';
import { fixedKeyPermute, tccrHashMasked } from './aes.js';
import { OtError, requireChoices, requireLength, requireWidth } from './errors.js';
import { type Batch, LARGEST_BATCH, pipelineBatches } from './extension.js';
import { type IknpReceiver, type IknpSender, sendChoiceColumns } from './iknp.js';
import { wordsPerValue } from './kernels/pack.js';
import { VectorCotKernels } from './kernels/vector-cot-wasm.js';

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
const BATCH_WORDS = LARGEST_BATCH;

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
  const kernels = new VectorCotKernels(k, ell, chunk, output, -1, rowCount);
  for (const b of core.batches(n, batchSize)) {
    const u = await channel.recv(core.uBytes(b), 'vector cot: matrix columns');
    const q = core.decode(b, u).subarray(0, 16 * b.count);
    const seeds0 = tccrHashMasked(q, undefined, b.tweak);
    const seeds1 = tccrHashMasked(q, core.s, b.tweak);
    const reply = new Uint32Array(Math.ceil(bitsOf(widths, b.first, b.count, k) / 32) + 1);
    // Chunks of the batch keep the pads and the outputs in cache.
    for (const { c0, first, count, w, bit, bits } of chunksOf(b, chunk, widths, k)) {
      expandSeeds(kernels, 0, seeds0.subarray(16 * c0, 16 * (c0 + count)), w);
      expandSeeds(kernels, 1, seeds1.subarray(16 * c0, 16 * (c0 + count)), w);
      kernels.send(first, count, deltas, rows.subarray(first, first + count), reply, bit, bits);
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
  const chunk = chunkSize(k, wpv, Math.min(choices.length, batchSize));
  const kernels = new VectorCotKernels(k, ell, chunk, output, 1);
  await pipelineBatches(
    core,
    core.batches(choices.length, batchSize),
    (b) => sendChoiceColumns(receiver, choices, b),
    async (b, t) => {
      const bytes = Math.ceil(bitsOf(widths, b.first, b.count, k) / 8);
      const y = await channel.recv(bytes, 'vector cot: sender reply');
      const seeds = tccrHashMasked(t.subarray(0, 16 * b.count), undefined, b.tweak);
      for (const { c0, first, count, w, bit, bits } of chunksOf(b, chunk, widths, k)) {
        expandSeeds(kernels, 0, seeds.subarray(16 * c0, 16 * (c0 + count)), w);
        kernels.receive(first, count, choices.subarray(first, first + count), y, bit, bits);
      }
    },
  );
}

/** Bits of the sender's messages for OTs [first, first + count): k·Σ w_j. */
function bitsOf(widths: Uint8Array, first: number, count: number, k: number): number {
  let bits = 0;
  for (let j = first; j < first + count; j++) bits += widths[j]!;
  return bits * k;
}

/**
 * The chunks of batch b: offset c0 in the batch, OTs [first, first + count), their widths w,
 * and where their bits start in the batch's message (bit) and how many they are.
 */
function* chunksOf(b: Batch, chunk: number, widths: Uint8Array, k: number) {
  for (let c0 = 0, bit = 0; c0 < b.count; c0 += chunk) {
    const first = b.first + c0;
    const count = Math.min(chunk, b.count - c0);
    const bits = bitsOf(widths, first, count, k);
    yield { c0, first, count, w: widths.subarray(first, first + count), bit, bits };
    bit += bits;
  }
}

/** Values per chunk: ~2^15 (128 KiB of output words), at least one OT. */
const CHUNK_VALUES = 1 << 15;

function chunkSize(k: number, wpv: number, batch: number): number {
  return Math.max(1, Math.min(batch, Math.floor(CHUNK_VALUES / (k * wpv))));
}

async function send(channel: Channel, words: Uint32Array, bytes: number): Promise<void> {
  await channel.send(new Uint8Array(words.buffer, words.byteOffset, bytes));
}

/**
 * Stages pad `which` of a chunk: block c of OT j is π(x) ⊕ x with x = seed_j ⊕ c (c in the
 * top word), one batched AES pass; the kernels fold in the feed-forward ⊕ x. The feed-forward
 * matters: π is public, so a bare π(seed ⊕ c) gives away the seed — and with it the whole
 * pad, hence every correlation of the OT — to a receiver that learns one full block of the
 * pad it did not choose (four 32-bit values of y = P0 + Δ − P1 whose Δ it can guess, e.g.
 * zero weights).
 */
function expandSeeds(
  kernels: VectorCotKernels,
  which: 0 | 1,
  seeds: Uint8Array,
  widths: Uint8Array,
): void {
  kernels.setPad(which, fixedKeyPermute(kernels.padInputs(which, seeds, widths)));
}
