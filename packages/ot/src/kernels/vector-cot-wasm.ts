/**
 * Staging for the WebAssembly SIMD step kernels of vector correlated OT (asm/vector-cot.ts,
 * embedded as base64). One chunk at a time, everything a kernel reads is copied into the
 * module's memory and its results copied back: the AES inputs and outputs, the chunk's seeds
 * and per-OT parameters, the rows of Δ and of the accumulator the chunk touches (each once,
 * with a row stride rounded up to whole vectors), and its slice of the y bit stream. A chunk
 * is ~2^15 values, so the staged data stays in cache, and staging is synchronous: concurrent
 * calls (a sender and a receiver in one process) share the memory between their awaits.
 */
import type { VectorCotOutput } from '../vector-cot.js';
import { wordsPerValue } from './pack.js';
import { VECTOR_COT_WASM_BASE64 } from './vector-cot.wasm.js';
import { BASE, instantiate, reserve, type WasmMemory } from './wasm.js';

interface Kernel {
  memory: WasmMemory;
  padInputs(
    seeds: number,
    widths: number,
    count: number,
    k: number,
    wide: number,
    offsets: number,
    out: number,
  ): number;
  send(
    h0: number,
    h1: number,
    seeds0: number,
    seeds1: number,
    widths: number,
    offsets: number,
    count: number,
    k: number,
    wide: number,
    deltas: number,
    rows: number,
    acc: number,
    targets: number,
    shifts: number,
    kp: number,
    out: number,
    start: number,
    ytmp: number,
  ): void;
  receive(
    h: number,
    seeds: number,
    widths: number,
    offsets: number,
    count: number,
    k: number,
    wide: number,
    choices: number,
    acc: number,
    targets: number,
    shifts: number,
    kp: number,
    y: number,
    start: number,
  ): void;
  negate(p: number, n: number, wide: number): void;
}

let kernel: Kernel | undefined;
let views: { buffer: ArrayBuffer; u8: Uint8Array; u32: Uint32Array } | undefined;

/** Views of the module's memory as it is now (a grow detaches older ones). */
function memory(k: Kernel): { u8: Uint8Array; u32: Uint32Array } {
  const buffer = k.memory.buffer;
  if (views?.buffer !== buffer)
    views = { buffer, u8: new Uint8Array(buffer), u32: new Uint32Array(buffer) };
  return views;
}

/** Bytes past the end of the stream that the kernels may touch (reads zeroed). */
const SLACK = 64;

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** Byte addresses of the staged buffers for chunks of up to `chunk` OTs of k values. */
function layout(k: number, wpv: number, chunk: number) {
  const kp = 4 * Math.ceil(k / 4);
  const padBytes = chunk * 16 * Math.ceil((k * wpv) / 4);
  const rowBytes = 4 * kp * wpv;
  const sizes = {
    seeds0: 16 * chunk,
    seeds1: 16 * chunk,
    widths: chunk,
    shifts: chunk,
    choices: chunk,
    rows: 4 * chunk,
    targets: 4 * chunk,
    offsets: 4 * (chunk + 1),
    pad0: padBytes,
    pad1: padBytes,
    deltas: chunk * rowBytes,
    acc: chunk * rowBytes,
    // The sender's y entries of one OT: at most 8 bytes per value.
    ytmp: 8 * (kp + 4),
    // The chunk's bits (≤ 32·wpv per value), a leading partial word, and SLACK bytes the
    // kernels read or write past the end.
    stream: 4 * chunk * k * wpv + 4 + SLACK,
  };
  let at = BASE;
  const out = {} as Record<keyof typeof sizes, number>;
  for (const [name, bytes] of Object.entries(sizes)) {
    out[name as keyof typeof sizes] = at;
    at += align(bytes);
  }
  return { kp, at: out, bytes: at - BASE };
}

/**
 * Maps a chunk's row indices to local rows in first-use order: local ids into `local` (a
 * view at the kernel's index array), the distinct source rows into `distinct`; returns how
 * many. `slot` (one entry per source row, all −1) is left all −1 again.
 */
function remap(ids: Uint32Array, slot: Int32Array, local: Uint32Array, distinct: Uint32Array) {
  let n = 0;
  let prev = -1;
  let prevLocal = 0;
  for (let j = 0; j < ids.length; j++) {
    const r = ids[j]!;
    if (r !== prev) {
      let s = slot[r]!;
      if (s < 0) {
        s = n;
        slot[r] = n;
        distinct[n++] = r;
      }
      prev = r;
      prevLocal = s;
    }
    local[j] = prevLocal;
  }
  for (let i = 0; i < n; i++) slot[distinct[i]!] = -1;
  return n;
}

/** set() costs a call per row: short rows copy faster word by word. */
function copyRow(dst: Uint32Array, d: number, src: Uint32Array, s: number, words: number): void {
  if (words >= 32) dst.set(src.subarray(s, s + words), d);
  else for (let x = 0; x < words; x++) dst[d + x] = src[s + x]!;
}

/**
 * One vector-COT call's view of the kernels: chunks of up to `chunk` OTs of k values each,
 * outputs to `output` (sign −1: the sender's −m0, +1: the receiver's m0 + r·Δ).
 */
export class VectorCotKernels {
  readonly #k: Kernel;
  readonly #kv: number;
  readonly #wide: number;
  readonly #wpv: number;
  readonly #lay: ReturnType<typeof layout>;
  readonly #distinct: Uint32Array;
  readonly #accSlot: Int32Array;
  readonly #deltaSlot: Int32Array;
  readonly #values: Uint32Array;
  #words = 0;

  constructor(
    k: number,
    ell: number,
    chunk: number,
    readonly output: VectorCotOutput,
    readonly sign: 1 | -1,
    deltaRows = 0,
  ) {
    kernel ??= instantiate<Kernel>(VECTOR_COT_WASM_BASE64);
    this.#k = kernel;
    this.#kv = k;
    this.#wpv = wordsPerValue(ell);
    this.#wide = this.#wpv - 1;
    this.#lay = layout(k, this.#wpv, chunk);
    reserve(kernel.memory, this.#lay.bytes);
    this.#distinct = new Uint32Array(chunk);
    const accRows = typeof output === 'function' ? 0 : output.acc.length / (k * this.#wpv);
    this.#accSlot = new Int32Array(accRows).fill(-1);
    this.#deltaSlot = new Int32Array(deltaRows).fill(-1);
    this.#values = new Uint32Array(typeof output === 'function' ? chunk * k * this.#wpv : 0);
  }

  /**
   * The AES inputs x = seed_j ⊕ c of pad `which` (0 or 1) for the chunk's OTs, as a view of
   * the module's memory: encrypt it before the next call into the module.
   */
  padInputs(which: 0 | 1, seeds: Uint8Array, widths: Uint8Array): Uint8Array {
    const k = this.#k;
    const at = this.#lay.at;
    const { u8 } = memory(k);
    const s = which ? at.seeds1 : at.seeds0;
    const pad = which ? at.pad1 : at.pad0;
    u8.set(seeds, s);
    u8.set(widths, at.widths);
    this.#words = k.padInputs(s, at.widths, widths.length, this.#kv, this.#wide, at.offsets, pad);
    return u8.subarray(pad, pad + 4 * this.#words);
  }

  /** Stores π(x) of pad `which`; the kernels add the feed-forward x themselves. */
  setPad(which: 0 | 1, h: Uint8Array): void {
    memory(this.#k).u8.set(h, which ? this.#lay.at.pad1 : this.#lay.at.pad0);
  }

  /**
   * The sender's step for OTs [first, first + count) (pads staged): Δ rows `rows` of
   * `deltas`, y written into `reply` from bit `bit` on (`bits` of them).
   */
  send(
    first: number,
    count: number,
    deltas: Uint32Array,
    rows: Uint32Array,
    reply: Uint32Array,
    bit: number,
    bits: number,
  ): void {
    const k = this.#k;
    const { at, kp } = this.#lay;
    const { u32 } = memory(k);
    const rowWords = this.#kv * this.#wpv;
    const stride = kp * this.#wpv;
    const local = u32.subarray(at.rows >>> 2, (at.rows >>> 2) + count);
    const n = remap(rows, this.#deltaSlot, local, this.#distinct);
    for (let i = 0; i < n; i++)
      copyRow(u32, (at.deltas >>> 2) + i * stride, deltas, this.#distinct[i]! * rowWords, rowWords);
    const word = bit >>> 5;
    u32[at.stream >>> 2] = reply[word]!;
    const rowsOut = this.#stageOutput(first, count);
    k.send(
      at.pad0,
      at.pad1,
      at.seeds0,
      at.seeds1,
      at.widths,
      at.offsets,
      count,
      this.#kv,
      this.#wide,
      at.deltas,
      at.rows,
      at.acc,
      at.targets,
      at.shifts,
      kp,
      at.stream,
      bit & 31,
      at.ytmp,
    );
    const words = Math.ceil(((bit & 31) + bits) / 32);
    reply.set(u32.subarray(at.stream >>> 2, (at.stream >>> 2) + words), word);
    this.#finish(first, count, rowsOut);
  }

  /**
   * The receiver's step for OTs [first, first + count) (pad 0 staged): y read from bit `bit`
   * of the sender's reply `y` (`bits` of them).
   */
  receive(
    first: number,
    count: number,
    choices: Uint8Array,
    y: Uint8Array,
    bit: number,
    bits: number,
  ): void {
    const k = this.#k;
    const { at, kp } = this.#lay;
    const { u8 } = memory(k);
    u8.set(choices, at.choices);
    const from = 4 * (bit >>> 5);
    const to = Math.min(y.length, Math.ceil((bit + bits) / 8));
    u8.set(y.subarray(from, to), at.stream);
    u8.fill(0, at.stream + to - from, at.stream + to - from + SLACK);
    const rowsOut = this.#stageOutput(first, count);
    k.receive(
      at.pad0,
      at.seeds0,
      at.widths,
      at.offsets,
      count,
      this.#kv,
      this.#wide,
      at.choices,
      at.acc,
      at.targets,
      at.shifts,
      kp,
      at.stream,
      bit & 31,
    );
    this.#finish(first, count, rowsOut);
  }

  /**
   * Stages the accumulator rows OTs [first, first + count) add into, with their shifts and
   * local targets; a sink gets zeroed rows of its own, shift 0. Returns the rows staged.
   */
  #stageOutput(first: number, count: number): number {
    const out = this.output;
    const { at, kp } = this.#lay;
    const { u8, u32 } = memory(this.#k);
    const stride = kp * this.#wpv;
    const local = u32.subarray(at.targets >>> 2, (at.targets >>> 2) + count);
    if (typeof out === 'function') {
      for (let j = 0; j < count; j++) local[j] = j;
      u8.fill(0, at.shifts, at.shifts + count);
      u32.fill(0, at.acc >>> 2, (at.acc >>> 2) + count * stride);
      return count;
    }
    u8.set(out.shifts.subarray(first, first + count), at.shifts);
    const n = remap(
      out.targets.subarray(first, first + count),
      this.#accSlot,
      local,
      this.#distinct,
    );
    const rowWords = this.#kv * this.#wpv;
    for (let i = 0; i < n; i++)
      copyRow(u32, (at.acc >>> 2) + i * stride, out.acc, this.#distinct[i]! * rowWords, rowWords);
    return n;
  }

  /** Copies the staged rows back (accumulator) or hands them to the sink. */
  #finish(first: number, count: number, n: number): void {
    const out = this.output;
    const { at, kp } = this.#lay;
    const { u32 } = memory(this.#k);
    const stride = kp * this.#wpv;
    const rowWords = this.#kv * this.#wpv;
    const base = at.acc >>> 2;
    if (typeof out !== 'function') {
      for (let i = 0; i < n; i++)
        copyRow(out.acc, this.#distinct[i]! * rowWords, u32, base + i * stride, rowWords);
      return;
    }
    if (this.sign === -1) this.#k.negate(at.acc, count * kp, this.#wide);
    const v = this.#values;
    for (let j = 0; j < count; j++) copyRow(v, j * rowWords, u32, base + j * stride, rowWords);
    out(first, count, v.subarray(0, count * rowWords));
  }
}
