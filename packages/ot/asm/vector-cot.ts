// WebAssembly SIMD step kernels of vector correlated OT (compiled by scripts/build-wasm.mjs
// into src/kernels/vector-cot.wasm.ts; src/vector-cot.ts documents the protocol). The scalar
// JS kernels cost ~5–8 ns per value; here the pad arithmetic and the accumulation run in
// v128 lanes (i32x4 for ℓ ≤ 32, i64x2 above). The y bit stream is serial: values are first
// combined in lanes (pairs of 2w bits, or quads of 4w for w ≤ 16) so that one scalar push
// of up to 64 bits carries two or four of them; the receiver splits them back in lanes.
//
// Memory is staged per chunk by src/kernels/vector-cot-wasm.ts: AES outputs h (one 16-byte
// block per counter), seeds, per-OT widths/offsets/shifts, the touched rows of Δ and of the
// accumulator with a row stride `kp` rounded up to 4 values (so a group of 4 lanes never
// spills into the next row), and the chunk's part of the y bit stream. Pads are recomputed
// from h as h ⊕ seed ⊕ c, folding the feed-forward of π(x) ⊕ x into the loads.

/** log2 of values per pad word: byte lanes for w ≤ 8, half words for w ≤ 16, else words. */
@inline
function laneLog(w: i32): i32 {
  return w <= 8 ? 2 : w <= 16 ? 1 : 0;
}

@inline
function mask32(w: i32): i32 {
  return w >= 32 ? -1 : (1 << w) - 1;
}

@inline
function mask64(w: i32): i64 {
  return w >= 64 ? -1 : (<i64>1 << <i64>w) - 1;
}

/** Words of OT j's pad: 2k for a value of more than 32 bits, else ⌈k / lanes⌉. */
@inline
function padWords(w: i32, k: i32, wide: bool): i32 {
  if (wide && w > 32) return 2 * k;
  const lg = laneLog(w);
  return (k + (1 << lg) - 1) >> lg;
}

/**
 * The AES inputs x = seed_j ⊕ c (counter c in the top word) of `count` OTs at `out`, each OT's
 * pad padded to whole blocks; offsets[j] = its first word (offsets[count] = total, returned).
 */
export function padInputs(
  seeds: usize,
  widths: usize,
  count: i32,
  k: i32,
  wide: bool,
  offsets: usize,
  out: usize,
): i32 {
  const inc = i32x4(0, 0, 0, 1);
  let o: i32 = 0;
  store<u32>(offsets, 0);
  for (let j = 0; j < count; j++) {
    const blocks = (padWords(load<u8>(widths + j), k, wide) + 3) >> 2;
    const s = v128.load(seeds + ((<usize>j) << 4));
    let c = i32x4.splat(0);
    const p = out + ((<usize>o) << 2);
    for (let b = 0; b < blocks; b++) {
      v128.store(p + ((<usize>b) << 4), v128.xor(s, c));
      c = i32x4.add(c, inc);
    }
    o += blocks << 2;
    store<u32>(offsets + ((<usize>(j + 1)) << 2), o);
  }
  return o;
}

// ---- the y bit stream: w bits per value, least significant first, across OTs ----

// The writer's state lives in globals between the per-OT calls of one kernel call: `fill` < 32
// pending bits in `pending`, the word they belong to at `cursor`.
let pending: u64 = 0;
let fill: i32 = 0;
let cursor: usize = 0;

/**
 * Pushes `n` entries of m ≤ 64 bits from `ytmp` (u64 each), then, when tail > 0, one more of
 * which only the low `tail` bits count. Each push writes 16 bytes without branches: the
 * entry shifted by its bit offset f spans at most three words, and whatever lands past the
 * new end is zero and is overwritten by the next push (stores land in program order).
 */
function pack(ytmp: usize, n: i32, m: i32, tail: i32): void {
  const o = cursor;
  const f0 = <usize>fill;
  let b = pending;
  let e = 0;
  if (m >= 32 && n > 0) {
    // The bits pending before entry e > 0 are all from entry e − 1 (f < 32 ≤ m), so the
    // pushes do not depend on each other: no loop-carried chain through `b`.
    let prev = load<u64>(ytmp);
    pushAt(o, f0, b, prev);
    for (e = 1; e < n; e++) {
      const z = load<u64>(ytmp + ((<usize>e) << 3));
      const pos = f0 + <usize>e * <usize>m;
      const f = <i32>(pos & 31);
      // (· >> 1) >> (m − 1 − f): the top f bits of prev, none when f = 0.
      pushAt(o + ((pos >>> 5) << 2), <usize>f, (prev >> 1) >> (<u64>(m - 1 - f)), z);
      prev = z;
    }
    b = (prev >> 1) >> (<u64>(m - 1 - <i32>((f0 + <usize>n * <usize>m) & 31)));
  }
  // Short entries (m < 32, values of w < 8) and the tail: the pending bits carried along.
  let pos = f0 + <usize>e * <usize>m;
  const count = tail > 0 ? n + 1 : n;
  for (; e < count; e++) {
    let z = load<u64>(ytmp + ((<usize>e) << 3));
    let bits = m;
    if (e === n) {
      z &= ((<u64>1) << (<u64>tail)) - 1;
      bits = tail;
    }
    const f = pos & 31;
    const lo = b | (z << (<u64>f));
    const hi = (z >> 1) >> (<u64>(63 - f));
    pushAt(o + ((pos >>> 5) << 2), f, b, z);
    const nf = f + <usize>bits;
    const adv = nf >>> 5;
    b = adv === 2 ? hi : lo >> (<u64>(adv << 5));
    b &= ((<u64>1) << (<u64>(nf & 31))) - 1;
    pos += <usize>bits;
  }
  cursor = o + ((pos >>> 5) << 2);
  fill = <i32>(pos & 31);
  pending = b;
}

/** Writes pending bits `b` (f < 32 of them) and then entry z at bit f of word `o`. */
@inline
function pushAt(o: usize, f: usize, b: u64, z: u64): void {
  store<u64>(o, b | (z << (<u64>f)));
  // (· >> 1) >> (63 − f): the bits shifted out, none when f = 0.
  store<u64>(o + 8, (z >> 1) >> (<u64>(63 - f)));
}

/** 64 bits of `y` from bit `bit` (16 readable bytes past it). */
@inline
function read64(y: usize, bit: usize): u64 {
  const p = y + (bit >>> 3);
  const sh = <u64>(bit & 7);
  return (load<u64>(p) >> sh) | ((load<u64>(p + 8) << 1) << (63 - sh));
}

/** Two entries of 2w ≤ 64 bits as four i32 lanes of w bits (unmasked above w). */
@inline
function split(c: v128, w: i32): v128 {
  const d = i64x2.shr_u(c, w);
  return i8x16.shuffle(c, d, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
}

/** The 4 values of w ≤ 32 bits from bit `bit`, in i32 lanes (unmasked above w). */
@inline
function unpack4(y: usize, bit: usize, w: i32): v128 {
  const c = read64(y, bit);
  if (w <= 16) return split(i64x2.replace_lane(i64x2.splat(c), 1, c >> (<u64>(2 * w))), w);
  return split(i64x2.replace_lane(i64x2.splat(c), 1, read64(y, bit + 2 * w)), w);
}

/** y's 4 values of w ≤ 32 bits as entries for `pack`: pairs of 2w bits, quads for w ≤ 16. */
@inline
function entries(y: v128, v: i32, w: i32, ytmp: usize): void {
  const pairs = v128.or(
    v128.and(y, i64x2.splat(0xffffffff)),
    i64x2.shl(i64x2.shr_u(y, 32), w),
  );
  if (w > 16) {
    v128.store(ytmp + ((<usize>v) << 2), pairs);
  } else {
    const q =
      i64x2.extract_lane(pairs, 0) | (i64x2.extract_lane(pairs, 1) << (<u64>(2 * w)));
    store<u64>(ytmp + ((<usize>v) << 1), q);
  }
}

/** Packs OT j's k values of w ≤ 32 bits from their entries. */
@inline
function packNarrow(ytmp: usize, k: i32, w: i32): void {
  if (w > 16) pack(ytmp, k >> 1, 2 * w, (k & 1) * w);
  else pack(ytmp, k >> 2, 4 * w, (k & 3) * w);
}

// ---- per-group steps: 4 values (i32x4) ----

/** Sender, ℓ ≤ 32: acc −= (a mod 2^w) << shift; returns y = a + Δ − b mod 2^w. */
@inline
function send4(a: v128, b: v128, d: usize, acc: usize, mask: v128, shift: i32): v128 {
  v128.store(acc, i32x4.sub(v128.load(acc), i32x4.shl(v128.and(a, mask), shift)));
  return v128.and(i32x4.sub(i32x4.add(a, v128.load(d)), b), mask);
}

/** Sender, narrow OT of a wide call: the same with Δ and the accumulator in i64x2 lanes. */
@inline
function send4w(a: v128, b: v128, d: usize, acc: usize, mask: v128, shift: i32): v128 {
  const m = v128.and(a, mask);
  const lo = i64x2.shl(i64x2.extend_low_i32x4_u(m), shift);
  const hi = i64x2.shl(i64x2.extend_high_i32x4_u(m), shift);
  v128.store(acc, i64x2.sub(v128.load(acc), lo));
  v128.store(acc + 16, i64x2.sub(v128.load(acc + 16), hi));
  // The low words of Δ's i64 lanes are Δ mod 2^32.
  const dl = i8x16.shuffle(
    v128.load(d),
    v128.load(d + 16),
    0,
    1,
    2,
    3,
    8,
    9,
    10,
    11,
    16,
    17,
    18,
    19,
    24,
    25,
    26,
    27,
  );
  return v128.and(i32x4.sub(i32x4.add(a, dl), b), mask);
}

/** Sender: the 4 values from v on, their y as entries for `pack`. */
@inline
function step4(
  x0: v128,
  x1: v128,
  v: i32,
  w: i32,
  d: usize,
  a: usize,
  ytmp: usize,
  mask: v128,
  shift: i32,
  wide: bool,
  lb: usize,
): void {
  const q = (<usize>v) << lb;
  const y = wide ? send4w(x0, x1, d + q, a + q, mask, shift) : send4(x0, x1, d + q, a + q, mask, shift);
  entries(y, v, w, ytmp);
}

/** Receiver: acc += ((p + (y ∧ sel)) mod 2^w) << shift for the 4 values from v on. */
@inline
function take4(
  p: v128,
  v: i32,
  w: i32,
  y: usize,
  bit: usize,
  a: usize,
  sel: v128,
  mask: v128,
  shift: i32,
  wide: bool,
  lb: usize,
): void {
  const q = a + ((<usize>v) << lb);
  const val = v128.and(i32x4.add(p, v128.and(unpack4(y, bit + <usize>(v * w), w), sel)), mask);
  if (wide) {
    const lo = i64x2.shl(i64x2.extend_low_i32x4_u(val), shift);
    const hi = i64x2.shl(i64x2.extend_high_i32x4_u(val), shift);
    v128.store(q, i64x2.add(v128.load(q), lo));
    v128.store(q + 16, i64x2.add(v128.load(q + 16), hi));
  } else {
    v128.store(q, i32x4.add(v128.load(q), i32x4.shl(val, shift)));
  }
}

@inline
function lo16(v: v128): v128 {
  return i32x4.extend_low_i16x8_u(v);
}

@inline
function hi16(v: v128): v128 {
  return i32x4.extend_high_i16x8_u(v);
}

/**
 * The sender's step for a chunk of `count` OTs (wide = 0: ℓ ≤ 32, 32-bit Δ and accumulator;
 * wide = 1: ℓ > 32, 64-bit ones, values of w > 32 in i64x2 lanes). Pads P_b = h_b ⊕ seed_b
 * ⊕ c; y goes to the bit stream at `out` from bit `start` < 32 (out's first word holds the
 * bits before it; 16 writable bytes past the end).
 */
export function send(
  h0: usize,
  h1: usize,
  seeds0: usize,
  seeds1: usize,
  widths: usize,
  offsets: usize,
  count: i32,
  k: i32,
  wide: bool,
  deltas: usize,
  rows: usize,
  acc: usize,
  targets: usize,
  shifts: usize,
  kp: i32,
  out: usize,
  start: i32,
  ytmp: usize,
): void {
  const lb: usize = wide ? 3 : 2;
  const rowBytes = (<usize>kp) << lb;
  const inc = i32x4(0, 0, 0, 1);
  cursor = out;
  fill = start;
  pending = <u64>load<u32>(out) & (((<u64>1) << (<u64>start)) - 1);
  for (let j = 0; j < count; j++) {
    const w = <i32>load<u8>(widths + j);
    const shift = <i32>load<u8>(shifts + j);
    const d = deltas + <usize>load<u32>(rows + ((<usize>j) << 2)) * rowBytes;
    const a = acc + <usize>load<u32>(targets + ((<usize>j) << 2)) * rowBytes;
    const off = (<usize>load<u32>(offsets + ((<usize>j) << 2))) << 2;
    const p0 = h0 + off;
    const p1 = h1 + off;
    const s0 = v128.load(seeds0 + ((<usize>j) << 4));
    const s1 = v128.load(seeds1 + ((<usize>j) << 4));
    let c = i32x4.splat(0);
    if (wide && w > 32) {
      const mask = i64x2.splat(mask64(w));
      for (let v = 0; v < k; v += 2) {
        const q = (<usize>v) << 3;
        const x0 = v128.xor(v128.xor(v128.load(p0 + q), s0), c);
        const x1 = v128.xor(v128.xor(v128.load(p1 + q), s1), c);
        c = i32x4.add(c, inc);
        v128.store(a + q, i64x2.sub(v128.load(a + q), i64x2.shl(v128.and(x0, mask), shift)));
        v128.store(ytmp + q, v128.and(i64x2.sub(i64x2.add(x0, v128.load(d + q)), x1), mask));
      }
      pack(ytmp, k, w, 0);
      continue;
    }
    const mask = i32x4.splat(mask32(w));
    const lg = laneLog(w);
    const per = 4 << lg;
    for (let v = 0, b: usize = 0; v < k; v += per, b += 16) {
      const x0 = v128.xor(v128.xor(v128.load(p0 + b), s0), c);
      const x1 = v128.xor(v128.xor(v128.load(p1 + b), s1), c);
      c = i32x4.add(c, inc);
      if (lg === 0) {
        step4(x0, x1, v, w, d, a, ytmp, mask, shift, wide, lb);
      } else if (lg === 1) {
        step4(lo16(x0), lo16(x1), v, w, d, a, ytmp, mask, shift, wide, lb);
        if (v + 4 < k) step4(hi16(x0), hi16(x1), v + 4, w, d, a, ytmp, mask, shift, wide, lb);
      } else {
        const l0 = i16x8.extend_low_i8x16_u(x0);
        const l1 = i16x8.extend_low_i8x16_u(x1);
        step4(lo16(l0), lo16(l1), v, w, d, a, ytmp, mask, shift, wide, lb);
        if (v + 4 < k) step4(hi16(l0), hi16(l1), v + 4, w, d, a, ytmp, mask, shift, wide, lb);
        if (v + 8 < k) {
          const h0 = i16x8.extend_high_i8x16_u(x0);
          const h1 = i16x8.extend_high_i8x16_u(x1);
          step4(lo16(h0), lo16(h1), v + 8, w, d, a, ytmp, mask, shift, wide, lb);
          if (v + 12 < k)
            step4(hi16(h0), hi16(h1), v + 12, w, d, a, ytmp, mask, shift, wide, lb);
        }
      }
    }
    packNarrow(ytmp, k, w);
  }
}

/**
 * The receiver's step: acc[target] += 2^shift·(P + r·y mod 2^w), y read from the bit stream
 * at `y` from bit `start` < 32 (64 readable bytes past its end).
 */
export function receive(
  h: usize,
  seeds: usize,
  widths: usize,
  offsets: usize,
  count: i32,
  k: i32,
  wide: bool,
  choices: usize,
  acc: usize,
  targets: usize,
  shifts: usize,
  kp: i32,
  y: usize,
  start: i32,
): void {
  const lb: usize = wide ? 3 : 2;
  const rowBytes = (<usize>kp) << lb;
  const inc = i32x4(0, 0, 0, 1);
  let bit = <usize>start;
  for (let j = 0; j < count; j++) {
    const w = <i32>load<u8>(widths + j);
    const shift = <i32>load<u8>(shifts + j);
    const a = acc + <usize>load<u32>(targets + ((<usize>j) << 2)) * rowBytes;
    const p = h + ((<usize>load<u32>(offsets + ((<usize>j) << 2))) << 2);
    const s = v128.load(seeds + ((<usize>j) << 4));
    const sel = i32x4.splat(-(<i32>load<u8>(choices + j)));
    let c = i32x4.splat(0);
    if (wide && w > 32) {
      const mask = i64x2.splat(mask64(w));
      for (let v = 0; v < k; v += 2) {
        const q = (<usize>v) << 3;
        const x = v128.xor(v128.xor(v128.load(p + q), s), c);
        c = i32x4.add(c, inc);
        const at = bit + <usize>(v * w);
        const yv = i64x2.replace_lane(i64x2.splat(read64(y, at)), 1, read64(y, at + w));
        const val = v128.and(i64x2.add(x, v128.and(yv, sel)), mask);
        v128.store(a + q, i64x2.add(v128.load(a + q), i64x2.shl(val, shift)));
      }
      bit += <usize>(k * w);
      continue;
    }
    const mask = i32x4.splat(mask32(w));
    const lg = laneLog(w);
    const per = 4 << lg;
    for (let v = 0, b: usize = 0; v < k; v += per, b += 16) {
      const x = v128.xor(v128.xor(v128.load(p + b), s), c);
      c = i32x4.add(c, inc);
      if (lg === 0) {
        take4(x, v, w, y, bit, a, sel, mask, shift, wide, lb);
      } else if (lg === 1) {
        take4(lo16(x), v, w, y, bit, a, sel, mask, shift, wide, lb);
        if (v + 4 < k) take4(hi16(x), v + 4, w, y, bit, a, sel, mask, shift, wide, lb);
      } else {
        const l = i16x8.extend_low_i8x16_u(x);
        take4(lo16(l), v, w, y, bit, a, sel, mask, shift, wide, lb);
        if (v + 4 < k) take4(hi16(l), v + 4, w, y, bit, a, sel, mask, shift, wide, lb);
        if (v + 8 < k) {
          const hh = i16x8.extend_high_i8x16_u(x);
          take4(lo16(hh), v + 8, w, y, bit, a, sel, mask, shift, wide, lb);
          if (v + 12 < k) take4(hi16(hh), v + 12, w, y, bit, a, sel, mask, shift, wide, lb);
        }
      }
    }
    bit += <usize>(k * w);
  }
}

/** Negates `n` values in place (i32 lanes, or i64 when wide): the sender's −m0 back to m0. */
export function negate(p: usize, n: i32, wide: bool): void {
  const bytes = (<usize>n) << (wide ? 3 : 2);
  for (let i: usize = 0; i < bytes; i += 16) {
    const v = v128.load(p + i);
    v128.store(p + i, wide ? i64x2.neg(v) : i32x4.neg(v));
  }
}
