/**
 * The WebAssembly vector-COT step kernels against a BigInt reference, below the protocol:
 * random AES outputs h stand in for π(x), so pads are h ⊕ x with x = seed ⊕ c, and every
 * accumulator word and every bit of the y stream is checked, across a chunk boundary that
 * falls inside a word. Widths 1..ℓ, random shifts and targets, k not a multiple of 4.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VectorCotKernels } from '../src/kernels/vector-cot-wasm.js';
import { randomU8, randomValues } from './helpers.js';

/** A copy as words (Buffers from randomBytes share a pool: no .buffer views). */
const words = (a: Uint8Array) => new Uint32Array(new Uint8Array(a).buffer);

const laneLog = (w: number) => (w <= 8 ? 2 : w <= 16 ? 1 : 0);

/** Per OT: its first pad word (reference of the kernels' layout) and the pad's values. */
function padValues(h: Uint8Array, seeds: Uint8Array, widths: Uint8Array, k: number, wide: boolean) {
  const hw = words(h);
  const sw = words(seeds);
  const out: bigint[][] = [];
  let base = 0;
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const word = (i: number) =>
      (hw[base + i]! ^ sw[4 * j + (i & 3)]! ^ ((i & 3) === 3 ? i >>> 2 : 0)) >>> 0;
    const values: bigint[] = [];
    const lg = laneLog(w);
    for (let v = 0; v < k; v++) {
      if (wide && w > 32) values.push(BigInt(word(2 * v)) | (BigInt(word(2 * v + 1)) << 32n));
      else values.push(BigInt(word(v >>> lg) >>> ((v & ((1 << lg) - 1)) << (5 - lg))));
    }
    out.push(values.map((x) => x % (1n << BigInt(w))));
    const words = wide && w > 32 ? 2 * k : Math.ceil(k / (1 << lg));
    base += 4 * Math.ceil(words / 4);
  }
  return out;
}

/** The AES inputs the kernels must build: seed_j ⊕ c per block. */
function checkInputs(
  x: Uint8Array,
  seeds: Uint8Array,
  widths: Uint8Array,
  k: number,
  wide: boolean,
) {
  const xw = words(x);
  const sw = words(seeds);
  let base = 0;
  for (let j = 0; j < widths.length; j++) {
    const w = widths[j]!;
    const words = wide && w > 32 ? 2 * k : Math.ceil(k / (1 << laneLog(w)));
    const blocks = Math.ceil(words / 4);
    for (let c = 0; c < blocks; c++)
      for (let i = 0; i < 4; i++)
        expect(xw[base + 4 * c + i]).toBe((sw[4 * j + i]! ^ (i === 3 ? c : 0)) >>> 0);
    base += 4 * blocks;
  }
  expect(xw.length).toBe(base);
}

const asBig = (v: Uint32Array, wide: boolean) =>
  wide ? Array.from(new BigUint64Array(v.slice().buffer)) : Array.from(v, (x) => BigInt(x));

describe('vector-COT WebAssembly kernels', () => {
  it.each([
    [11, 7, 40],
    [32, 13, 30],
    [32, 1, 50],
    [37, 5, 40],
    [37, 18, 20],
    [64, 9, 30],
  ])('ℓ = %i, k = %i, %i OTs: accumulators and y stream = BigInt reference', (ell, k, n) => {
    const wide = ell > 32;
    const wpv = wide ? 2 : 1;
    const accBits = wide ? 64n : 32n;
    const accMod = 1n << accBits;
    const [deltaRows, accRows] = [3, 4];
    const widths = Uint8Array.from(randomU8(n, ell), (w) => w + 1);
    widths[0] = ell;
    widths[1] = 1;
    const shifts = randomU8(n, Number(accBits));
    const targets = Uint32Array.from(randomU8(n, accRows));
    const rows = Uint32Array.from(randomU8(n, deltaRows));
    const choices = randomU8(n, 2);
    const deltas = randomValues(deltaRows * k, ell);
    const d = asBig(deltas, wide);
    const seeds = [randomBytes(16 * n), randomBytes(16 * n), randomBytes(16 * n)];
    const accS = randomValues(accRows * k, wide ? 64 : 32);
    const accR = randomValues(accRows * k, wide ? 64 : 32);
    const wantS = asBig(accS, wide);
    const wantR = asBig(accR, wide);
    const totalBits = k * widths.reduce((a, w) => a + w, 0);
    const reply = new Uint32Array(Math.ceil(totalBits / 32) + 1);
    let stream = 0n;
    let streamBits = 0n;

    const sender = new VectorCotKernels(k, ell, n, { acc: accS, targets, shifts }, -1, deltaRows);
    const receiver = new VectorCotKernels(k, ell, n, { acc: accR, targets, shifts }, 1);
    // Two chunks, the split chosen so that the second starts inside a word of the stream.
    let split = 1;
    while (split < n - 1 && (k * widths.subarray(0, split).reduce((a, w) => a + w, 0)) % 32 === 0)
      split++;
    const chunks: [number, number][] = [
      [0, split],
      [split, n - split],
    ];
    const pads: bigint[][][] = [];
    for (const [first, count] of chunks) {
      const w = widths.subarray(first, first + count);
      const s = seeds.map((x) => x.subarray(16 * first, 16 * (first + count)));
      const p: bigint[][][] = [];
      for (const which of [0, 1] as const) {
        const x = sender.padInputs(which, s[which]!, w);
        checkInputs(x, s[which]!, w, k, wide);
        const h = randomBytes(x.length);
        p.push(padValues(h, s[which]!, w, k, wide));
        sender.setPad(which, h);
      }
      for (let j = 0; j < count; j++) {
        const o = first + j;
        const mod = 1n << BigInt(widths[o]!);
        for (let v = 0; v < k; v++) {
          const [p0, p1] = [p[0]![j]![v]!, p[1]![j]![v]!];
          const t = targets[o]! * k + v;
          wantS[t] = (wantS[t]! - (p0 << BigInt(shifts[o]!)) + accMod * accMod) % accMod;
          const y = (((p0 + d[rows[o]! * k + v]! - p1) % mod) + mod) % mod;
          stream |= y << streamBits;
          streamBits += BigInt(widths[o]!);
        }
      }
      pads.push(p[0]!);
      const bit = k * widths.subarray(0, first).reduce((a, x) => a + x, 0);
      const bits = k * w.reduce((a, x) => a + x, 0);
      sender.send(first, count, deltas, rows.subarray(first, first + count), reply, bit, bits);
    }
    expect(asBig(accS, wide)).toEqual(wantS);
    const bytes = new Uint8Array(reply.buffer, 0, Math.ceil(totalBits / 8));
    let got = 0n;
    for (let i = bytes.length - 1; i >= 0; i--) got = (got << 8n) | BigInt(bytes[i]!);
    expect(got.toString(16)).toBe(stream.toString(16));

    // The receiver reads the stream back; with its pad = the sender's P0 it must get
    // P0 + r·(P0 + Δ − P1)... so give it an independent pad and check against y directly.
    let at = 0n;
    for (const [first, count] of chunks) {
      const w = widths.subarray(first, first + count);
      const s = seeds[2]!.subarray(16 * first, 16 * (first + count));
      const x = receiver.padInputs(0, s, w);
      const h = randomBytes(x.length);
      const p = padValues(h, s, w, k, wide);
      receiver.setPad(0, h);
      for (let j = 0; j < count; j++) {
        const o = first + j;
        const wBits = BigInt(widths[o]!);
        const mod = 1n << wBits;
        for (let v = 0; v < k; v++) {
          const y = (stream >> at) % mod;
          at += wBits;
          const val = (p[j]![v]! + (choices[o] ? y : 0n)) % mod;
          const t = targets[o]! * k + v;
          wantR[t] = (wantR[t]! + (val << BigInt(shifts[o]!))) % accMod;
        }
      }
      const bit = k * widths.subarray(0, first).reduce((a, x) => a + x, 0);
      const bits = k * w.reduce((a, x) => a + x, 0);
      receiver.receive(first, count, choices.subarray(first, first + count), bytes, bit, bits);
    }
    expect(pads.length).toBe(2);
    expect(asBig(accR, wide)).toEqual(wantR);
    expect(wpv).toBe(wide ? 2 : 1);
  });
});
