// AES-128 encryption, bitsliced over WebAssembly SIMD (compiled by tools/wasm/build.mjs into
// src/kernels/aes.wasm.ts and wrapped by src/kernels/aes-wasm.ts): the browser's fixed-key
// permutation and CTR PRG, where node:crypto is absent. Constant time: no table is indexed by
// data or key, and every branch follows from public counts only.
//
// Layout (Käsper–Schwabe): eight blocks form eight 128-bit planes; plane b holds bit b of
// every byte, its byte j is state byte j (row j mod 4, column ⌊j/4⌋) and its bit k comes from
// block k. SubBytes is then Boyar–Peralta's 113-gate S-box circuit on whole planes, ShiftRows
// and MixColumns's row rotations are constant byte shuffles of each plane, and a round key is
// the same key in all eight blocks, bitsliced once by expandKey (11 × 128 bytes).

/** Eight planes: the state being encrypted. */
const STATE: usize = memory.data(128, 16);
/** Eight blocks of staging: a partial group, counter blocks, the key schedule's S-box input. */
const SCRATCH: usize = memory.data(128, 16);
/** The 176 bytes of the eleven round keys, before bitslicing. */
const WORDS: usize = memory.data(176, 16);

const M1: v128 = i8x16.splat(0x55);
const M2: v128 = i8x16.splat(0x33);
const M4: v128 = i8x16.splat(0x0f);

/**
 * The eight blocks at `src` to the eight planes at `dst` (or back: the 8 × 8 bit transpose of
 * each byte position is an involution); `dst` may equal `src`. Three SWAPMOVE layers swap
 * bit 2^i of the block index with bit 2^i of the bit index.
 */
function transpose8(src: usize, dst: usize): void {
  let r0 = v128.load(src);
  let r1 = v128.load(src, 16);
  let r2 = v128.load(src, 32);
  let r3 = v128.load(src, 48);
  let r4 = v128.load(src, 64);
  let r5 = v128.load(src, 80);
  let r6 = v128.load(src, 96);
  let r7 = v128.load(src, 112);
  let t: v128;
  t = v128.and(v128.xor(i64x2.shr_u(r0, 1), r1), M1);
  r1 = v128.xor(r1, t);
  r0 = v128.xor(r0, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r2, 1), r3), M1);
  r3 = v128.xor(r3, t);
  r2 = v128.xor(r2, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r4, 1), r5), M1);
  r5 = v128.xor(r5, t);
  r4 = v128.xor(r4, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r6, 1), r7), M1);
  r7 = v128.xor(r7, t);
  r6 = v128.xor(r6, i64x2.shl(t, 1));
  t = v128.and(v128.xor(i64x2.shr_u(r0, 2), r2), M2);
  r2 = v128.xor(r2, t);
  r0 = v128.xor(r0, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r1, 2), r3), M2);
  r3 = v128.xor(r3, t);
  r1 = v128.xor(r1, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r4, 2), r6), M2);
  r6 = v128.xor(r6, t);
  r4 = v128.xor(r4, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r5, 2), r7), M2);
  r7 = v128.xor(r7, t);
  r5 = v128.xor(r5, i64x2.shl(t, 2));
  t = v128.and(v128.xor(i64x2.shr_u(r0, 4), r4), M4);
  r4 = v128.xor(r4, t);
  r0 = v128.xor(r0, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(r1, 4), r5), M4);
  r5 = v128.xor(r5, t);
  r1 = v128.xor(r1, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(r2, 4), r6), M4);
  r6 = v128.xor(r6, t);
  r2 = v128.xor(r2, i64x2.shl(t, 4));
  t = v128.and(v128.xor(i64x2.shr_u(r3, 4), r7), M4);
  r7 = v128.xor(r7, t);
  r3 = v128.xor(r3, i64x2.shl(t, 4));
  v128.store(dst, r0);
  v128.store(dst, r1, 16);
  v128.store(dst, r2, 32);
  v128.store(dst, r3, 48);
  v128.store(dst, r4, 64);
  v128.store(dst, r5, 80);
  v128.store(dst, r6, 96);
  v128.store(dst, r7, 112);
}

/**
 * SubBytes on the planes of STATE: Boyar and Peralta's circuit (top linear layer, the shared
 * GF(2^4) inversion, bottom linear layer with the affine constant folded into four NOTs).
 * Their U0 and S0 are the most significant bit, plane 7.
 */
function subBytes(): void {
  const U0 = v128.load(STATE, 112);
  const U1 = v128.load(STATE, 96);
  const U2 = v128.load(STATE, 80);
  const U3 = v128.load(STATE, 64);
  const U4 = v128.load(STATE, 48);
  const U5 = v128.load(STATE, 32);
  const U6 = v128.load(STATE, 16);
  const U7 = v128.load(STATE);
  const T1 = v128.xor(U0, U3);
  const T2 = v128.xor(U0, U5);
  const T3 = v128.xor(U0, U6);
  const T4 = v128.xor(U3, U5);
  const T5 = v128.xor(U4, U6);
  const T6 = v128.xor(T1, T5);
  const T7 = v128.xor(U1, U2);
  const T8 = v128.xor(U7, T6);
  const T9 = v128.xor(U7, T7);
  const T10 = v128.xor(T6, T7);
  const T11 = v128.xor(U1, U5);
  const T12 = v128.xor(U2, U5);
  const T13 = v128.xor(T3, T4);
  const T14 = v128.xor(T6, T11);
  const T15 = v128.xor(T5, T11);
  const T16 = v128.xor(T5, T12);
  const T17 = v128.xor(T9, T16);
  const T18 = v128.xor(U3, U7);
  const T19 = v128.xor(T7, T18);
  const T20 = v128.xor(T1, T19);
  const T21 = v128.xor(U6, U7);
  const T22 = v128.xor(T7, T21);
  const T23 = v128.xor(T2, T22);
  const T24 = v128.xor(T2, T10);
  const T25 = v128.xor(T20, T17);
  const T26 = v128.xor(T3, T16);
  const T27 = v128.xor(T1, T12);
  const M1 = v128.and(T13, T6);
  const M2 = v128.and(T23, T8);
  const M3 = v128.xor(T14, M1);
  const M4 = v128.and(T19, U7);
  const M5 = v128.xor(M4, M1);
  const M6 = v128.and(T3, T16);
  const M7 = v128.and(T22, T9);
  const M8 = v128.xor(T26, M6);
  const M9 = v128.and(T20, T17);
  const M10 = v128.xor(M9, M6);
  const M11 = v128.and(T1, T15);
  const M12 = v128.and(T4, T27);
  const M13 = v128.xor(M12, M11);
  const M14 = v128.and(T2, T10);
  const M15 = v128.xor(M14, M11);
  const M16 = v128.xor(M3, M2);
  const M17 = v128.xor(M5, T24);
  const M18 = v128.xor(M8, M7);
  const M19 = v128.xor(M10, M15);
  const M20 = v128.xor(M16, M13);
  const M21 = v128.xor(M17, M15);
  const M22 = v128.xor(M18, M13);
  const M23 = v128.xor(M19, T25);
  const M24 = v128.xor(M22, M23);
  const M25 = v128.and(M22, M20);
  const M26 = v128.xor(M21, M25);
  const M27 = v128.xor(M20, M21);
  const M28 = v128.xor(M23, M25);
  const M29 = v128.and(M28, M27);
  const M30 = v128.and(M26, M24);
  const M31 = v128.and(M20, M23);
  const M32 = v128.and(M27, M31);
  const M33 = v128.xor(M27, M25);
  const M34 = v128.and(M21, M22);
  const M35 = v128.and(M24, M34);
  const M36 = v128.xor(M24, M25);
  const M37 = v128.xor(M21, M29);
  const M38 = v128.xor(M32, M33);
  const M39 = v128.xor(M23, M30);
  const M40 = v128.xor(M35, M36);
  const M41 = v128.xor(M38, M40);
  const M42 = v128.xor(M37, M39);
  const M43 = v128.xor(M37, M38);
  const M44 = v128.xor(M39, M40);
  const M45 = v128.xor(M42, M41);
  const M46 = v128.and(M44, T6);
  const M47 = v128.and(M40, T8);
  const M48 = v128.and(M39, U7);
  const M49 = v128.and(M43, T16);
  const M50 = v128.and(M38, T9);
  const M51 = v128.and(M37, T17);
  const M52 = v128.and(M42, T15);
  const M53 = v128.and(M45, T27);
  const M54 = v128.and(M41, T10);
  const M55 = v128.and(M44, T13);
  const M56 = v128.and(M40, T23);
  const M57 = v128.and(M39, T19);
  const M58 = v128.and(M43, T3);
  const M59 = v128.and(M38, T22);
  const M60 = v128.and(M37, T20);
  const M61 = v128.and(M42, T1);
  const M62 = v128.and(M45, T4);
  const M63 = v128.and(M41, T2);
  const L0 = v128.xor(M61, M62);
  const L1 = v128.xor(M50, M56);
  const L2 = v128.xor(M46, M48);
  const L3 = v128.xor(M47, M55);
  const L4 = v128.xor(M54, M58);
  const L5 = v128.xor(M49, M61);
  const L6 = v128.xor(M62, L5);
  const L7 = v128.xor(M46, L3);
  const L8 = v128.xor(M51, M59);
  const L9 = v128.xor(M52, M53);
  const L10 = v128.xor(M53, L4);
  const L11 = v128.xor(M60, L2);
  const L12 = v128.xor(M48, M51);
  const L13 = v128.xor(M50, L0);
  const L14 = v128.xor(M52, M61);
  const L15 = v128.xor(M55, L1);
  const L16 = v128.xor(M56, L0);
  const L17 = v128.xor(M57, L1);
  const L18 = v128.xor(M58, L8);
  const L19 = v128.xor(M63, L4);
  const L20 = v128.xor(L0, L1);
  const L21 = v128.xor(L1, L7);
  const L22 = v128.xor(L3, L12);
  const L23 = v128.xor(L18, L2);
  const L24 = v128.xor(L15, L9);
  const L25 = v128.xor(L6, L10);
  const L26 = v128.xor(L7, L9);
  const L27 = v128.xor(L8, L10);
  const L28 = v128.xor(L11, L14);
  const L29 = v128.xor(L11, L17);
  v128.store(STATE, v128.xor(L6, L24), 112);
  v128.store(STATE, v128.not(v128.xor(L16, L26)), 96);
  v128.store(STATE, v128.not(v128.xor(L19, L28)), 80);
  v128.store(STATE, v128.xor(L6, L21), 64);
  v128.store(STATE, v128.xor(L20, L22), 48);
  v128.store(STATE, v128.xor(L25, L29), 32);
  v128.store(STATE, v128.not(v128.xor(L13, L27)), 16);
  v128.store(STATE, v128.not(v128.xor(L6, L23)));
}

/** ShiftRows of one plane: row r moves r columns left. */
@inline
function shiftRows(p: v128): v128 {
  return i8x16.shuffle(p, p, 0, 5, 10, 15, 4, 9, 14, 3, 8, 13, 2, 7, 12, 1, 6, 11);
}

/** Row r of each column replaced by row r + 1 (mod 4). */
@inline
function rotate1(p: v128): v128 {
  return i8x16.shuffle(p, p, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12);
}

/** Row r of each column replaced by row r + 2 (mod 4). */
@inline
function rotate2(p: v128): v128 {
  return i8x16.shuffle(p, p, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13);
}

/**
 * ShiftRows, then (unless the last round) MixColumns, then AddRoundKey, on STATE. MixColumns
 * s'_r = 2s_r ⊕ 3s_{r+1} ⊕ s_{r+2} ⊕ s_{r+3} is 2t ⊕ rot1(s) ⊕ rot2(t) with t = s ⊕ rot1(s);
 * doubling moves plane b to b + 1 and folds plane 7 into planes 0, 1, 3, 4 (x^8 = x^4 + x^3 + x + 1).
 */
function linearLayer(roundKey: usize, mix: bool): void {
  const s0 = shiftRows(v128.load(STATE));
  const s1 = shiftRows(v128.load(STATE, 16));
  const s2 = shiftRows(v128.load(STATE, 32));
  const s3 = shiftRows(v128.load(STATE, 48));
  const s4 = shiftRows(v128.load(STATE, 64));
  const s5 = shiftRows(v128.load(STATE, 80));
  const s6 = shiftRows(v128.load(STATE, 96));
  const s7 = shiftRows(v128.load(STATE, 112));
  if (!mix) {
    v128.store(STATE, v128.xor(s0, v128.load(roundKey)));
    v128.store(STATE, v128.xor(s1, v128.load(roundKey, 16)), 16);
    v128.store(STATE, v128.xor(s2, v128.load(roundKey, 32)), 32);
    v128.store(STATE, v128.xor(s3, v128.load(roundKey, 48)), 48);
    v128.store(STATE, v128.xor(s4, v128.load(roundKey, 64)), 64);
    v128.store(STATE, v128.xor(s5, v128.load(roundKey, 80)), 80);
    v128.store(STATE, v128.xor(s6, v128.load(roundKey, 96)), 96);
    v128.store(STATE, v128.xor(s7, v128.load(roundKey, 112)), 112);
    return;
  }
  const r0 = rotate1(s0);
  const r1 = rotate1(s1);
  const r2 = rotate1(s2);
  const r3 = rotate1(s3);
  const r4 = rotate1(s4);
  const r5 = rotate1(s5);
  const r6 = rotate1(s6);
  const r7 = rotate1(s7);
  const t0 = v128.xor(s0, r0);
  const t1 = v128.xor(s1, r1);
  const t2 = v128.xor(s2, r2);
  const t3 = v128.xor(s3, r3);
  const t4 = v128.xor(s4, r4);
  const t5 = v128.xor(s5, r5);
  const t6 = v128.xor(s6, r6);
  const t7 = v128.xor(s7, r7);
  const k0 = v128.xor(r0, v128.load(roundKey));
  const k1 = v128.xor(r1, v128.load(roundKey, 16));
  const k2 = v128.xor(r2, v128.load(roundKey, 32));
  const k3 = v128.xor(r3, v128.load(roundKey, 48));
  const k4 = v128.xor(r4, v128.load(roundKey, 64));
  const k5 = v128.xor(r5, v128.load(roundKey, 80));
  const k6 = v128.xor(r6, v128.load(roundKey, 96));
  const k7 = v128.xor(r7, v128.load(roundKey, 112));
  v128.store(STATE, v128.xor(v128.xor(t7, rotate2(t0)), k0));
  v128.store(STATE, v128.xor(v128.xor(v128.xor(t0, t7), rotate2(t1)), k1), 16);
  v128.store(STATE, v128.xor(v128.xor(t1, rotate2(t2)), k2), 32);
  v128.store(STATE, v128.xor(v128.xor(v128.xor(t2, t7), rotate2(t3)), k3), 48);
  v128.store(STATE, v128.xor(v128.xor(v128.xor(t3, t7), rotate2(t4)), k4), 64);
  v128.store(STATE, v128.xor(v128.xor(t4, rotate2(t5)), k5), 80);
  v128.store(STATE, v128.xor(v128.xor(t5, rotate2(t6)), k6), 96);
  v128.store(STATE, v128.xor(v128.xor(t6, rotate2(t7)), k7), 112);
}

/** AES-128 of the eight blocks at `src` into `dst` (may be equal) under bitsliced `roundKeys`. */
function encrypt8(roundKeys: usize, src: usize, dst: usize): void {
  transpose8(src, STATE);
  for (let b: usize = 0; b < 128; b += 16) {
    v128.store(STATE + b, v128.xor(v128.load(STATE + b), v128.load(roundKeys + b)));
  }
  for (let round: usize = 1; round <= 10; round++) {
    subBytes();
    linearLayer(roundKeys + (round << 7), round < 10);
  }
  transpose8(STATE, dst);
}

/**
 * The AES-128 key schedule of the 16-byte `key`, written to `out` as eleven bitsliced round
 * keys (1408 bytes). SubWord runs through the same S-box circuit: the key may be a secret seed.
 */
export function expandKey(key: usize, out: usize): void {
  memory.copy(WORDS, key, 16);
  let rcon: u32 = 1;
  for (let i: usize = 4; i < 44; i++) {
    let w = load<u32>(WORDS + ((i - 1) << 2));
    if ((i & 3) === 0) {
      memory.fill(SCRATCH, 0, 128);
      store<u32>(SCRATCH, rotr<u32>(w, 8));
      transpose8(SCRATCH, STATE);
      subBytes();
      transpose8(STATE, SCRATCH);
      w = load<u32>(SCRATCH) ^ rcon;
      rcon = (rcon << 1) ^ (0x11b & -(rcon >> 7));
    }
    store<u32>(WORDS + (i << 2), load<u32>(WORDS + ((i - 4) << 2)) ^ w);
  }
  for (let round: usize = 0; round <= 10; round++) {
    const roundKey = v128.load(WORDS + (round << 4));
    for (let k: usize = 0; k < 128; k += 16) v128.store(SCRATCH + k, roundKey);
    transpose8(SCRATCH, out + (round << 7));
  }
}

/** AES-128-ECB of `count` blocks from `src` to `dst` (may be equal), eight at a time. */
export function ecb(roundKeys: usize, src: usize, dst: usize, count: i32): void {
  const full = count & ~7;
  for (let i = 0; i < full; i += 8) {
    const at = (<usize>i) << 4;
    encrypt8(roundKeys, src + at, dst + at);
  }
  const rest = (<usize>(count - full)) << 4;
  if (rest === 0) return;
  const at = (<usize>full) << 4;
  memory.copy(SCRATCH, src + at, rest);
  encrypt8(roundKeys, SCRATCH, SCRATCH);
  memory.copy(dst + at, SCRATCH, rest);
}

/**
 * AES-128-CTR keystream: `count` blocks AES(c), AES(c + 1), … to `dst`, with c the 128-bit
 * big-endian counter at `counter`, which is left advanced by `count`.
 */
export function ctr(roundKeys: usize, counter: usize, dst: usize, count: i32): void {
  let hi = bswap<u64>(load<u64>(counter));
  let lo = bswap<u64>(load<u64>(counter, 8));
  for (let i = 0; i < count; i += 8) {
    const blocks = min<i32>(8, count - i);
    for (let k = 0; k < blocks; k++) {
      const at = SCRATCH + ((<usize>k) << 4);
      store<u64>(at, bswap<u64>(hi));
      store<u64>(at, bswap<u64>(lo), 8);
      lo++;
      hi += <u64>(lo === 0);
    }
    encrypt8(roundKeys, SCRATCH, SCRATCH);
    memory.copy(dst + ((<usize>i) << 4), SCRATCH, (<usize>blocks) << 4);
  }
  store<u64>(counter, bswap<u64>(hi));
  store<u64>(counter, bswap<u64>(lo), 8);
}
