// WebAssembly SIMD bit-matrix transpose (compiled by scripts/build-wasm.mjs into
// src/kernels/transpose.wasm.ts). Same layout as src/kernels/transpose.ts. Tiles of 16 rows
// × 128 columns: load 16 row vectors, transpose them as a 16×16 byte matrix (four rounds of
// perfect-shuffle interleaving), then for each byte column take the top bit of every byte
// (i8x16.bitmask) as 16 output bits, shifting left by one 8 times. Leftover byte columns use
// a gather of one byte per row.

function lo(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
}

function hi(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
}

function emit(v: v128, out: usize, outRowBytes: usize): void {
  for (let b = 7; b >= 0; b--) {
    store<u16>(out + <usize>b * outRowBytes, <u16>i8x16.bitmask(v));
    v = i64x2.shl(v, 1);
  }
}

function tile(src: usize, rowBytes: usize, out: usize, outRowBytes: usize): void {
  const r0 = v128.load(src + 0 * rowBytes);
  const r1 = v128.load(src + 1 * rowBytes);
  const r2 = v128.load(src + 2 * rowBytes);
  const r3 = v128.load(src + 3 * rowBytes);
  const r4 = v128.load(src + 4 * rowBytes);
  const r5 = v128.load(src + 5 * rowBytes);
  const r6 = v128.load(src + 6 * rowBytes);
  const r7 = v128.load(src + 7 * rowBytes);
  const r8 = v128.load(src + 8 * rowBytes);
  const r9 = v128.load(src + 9 * rowBytes);
  const r10 = v128.load(src + 10 * rowBytes);
  const r11 = v128.load(src + 11 * rowBytes);
  const r12 = v128.load(src + 12 * rowBytes);
  const r13 = v128.load(src + 13 * rowBytes);
  const r14 = v128.load(src + 14 * rowBytes);
  const r15 = v128.load(src + 15 * rowBytes);
  const s0_0 = lo(r0, r8);
  const s0_1 = hi(r0, r8);
  const s0_2 = lo(r1, r9);
  const s0_3 = hi(r1, r9);
  const s0_4 = lo(r2, r10);
  const s0_5 = hi(r2, r10);
  const s0_6 = lo(r3, r11);
  const s0_7 = hi(r3, r11);
  const s0_8 = lo(r4, r12);
  const s0_9 = hi(r4, r12);
  const s0_10 = lo(r5, r13);
  const s0_11 = hi(r5, r13);
  const s0_12 = lo(r6, r14);
  const s0_13 = hi(r6, r14);
  const s0_14 = lo(r7, r15);
  const s0_15 = hi(r7, r15);
  const s1_0 = lo(s0_0, s0_8);
  const s1_1 = hi(s0_0, s0_8);
  const s1_2 = lo(s0_1, s0_9);
  const s1_3 = hi(s0_1, s0_9);
  const s1_4 = lo(s0_2, s0_10);
  const s1_5 = hi(s0_2, s0_10);
  const s1_6 = lo(s0_3, s0_11);
  const s1_7 = hi(s0_3, s0_11);
  const s1_8 = lo(s0_4, s0_12);
  const s1_9 = hi(s0_4, s0_12);
  const s1_10 = lo(s0_5, s0_13);
  const s1_11 = hi(s0_5, s0_13);
  const s1_12 = lo(s0_6, s0_14);
  const s1_13 = hi(s0_6, s0_14);
  const s1_14 = lo(s0_7, s0_15);
  const s1_15 = hi(s0_7, s0_15);
  const s2_0 = lo(s1_0, s1_8);
  const s2_1 = hi(s1_0, s1_8);
  const s2_2 = lo(s1_1, s1_9);
  const s2_3 = hi(s1_1, s1_9);
  const s2_4 = lo(s1_2, s1_10);
  const s2_5 = hi(s1_2, s1_10);
  const s2_6 = lo(s1_3, s1_11);
  const s2_7 = hi(s1_3, s1_11);
  const s2_8 = lo(s1_4, s1_12);
  const s2_9 = hi(s1_4, s1_12);
  const s2_10 = lo(s1_5, s1_13);
  const s2_11 = hi(s1_5, s1_13);
  const s2_12 = lo(s1_6, s1_14);
  const s2_13 = hi(s1_6, s1_14);
  const s2_14 = lo(s1_7, s1_15);
  const s2_15 = hi(s1_7, s1_15);
  const s3_0 = lo(s2_0, s2_8);
  const s3_1 = hi(s2_0, s2_8);
  const s3_2 = lo(s2_1, s2_9);
  const s3_3 = hi(s2_1, s2_9);
  const s3_4 = lo(s2_2, s2_10);
  const s3_5 = hi(s2_2, s2_10);
  const s3_6 = lo(s2_3, s2_11);
  const s3_7 = hi(s2_3, s2_11);
  const s3_8 = lo(s2_4, s2_12);
  const s3_9 = hi(s2_4, s2_12);
  const s3_10 = lo(s2_5, s2_13);
  const s3_11 = hi(s2_5, s2_13);
  const s3_12 = lo(s2_6, s2_14);
  const s3_13 = hi(s2_6, s2_14);
  const s3_14 = lo(s2_7, s2_15);
  const s3_15 = hi(s2_7, s2_15);
  emit(s3_0, out + 0 * outRowBytes, outRowBytes);
  emit(s3_1, out + 8 * outRowBytes, outRowBytes);
  emit(s3_2, out + 16 * outRowBytes, outRowBytes);
  emit(s3_3, out + 24 * outRowBytes, outRowBytes);
  emit(s3_4, out + 32 * outRowBytes, outRowBytes);
  emit(s3_5, out + 40 * outRowBytes, outRowBytes);
  emit(s3_6, out + 48 * outRowBytes, outRowBytes);
  emit(s3_7, out + 56 * outRowBytes, outRowBytes);
  emit(s3_8, out + 64 * outRowBytes, outRowBytes);
  emit(s3_9, out + 72 * outRowBytes, outRowBytes);
  emit(s3_10, out + 80 * outRowBytes, outRowBytes);
  emit(s3_11, out + 88 * outRowBytes, outRowBytes);
  emit(s3_12, out + 96 * outRowBytes, outRowBytes);
  emit(s3_13, out + 104 * outRowBytes, outRowBytes);
  emit(s3_14, out + 112 * outRowBytes, outRowBytes);
  emit(s3_15, out + 120 * outRowBytes, outRowBytes);
}

/** Transposes the rows × cols bit matrix at `src` into `dst`; rows % 16 == 0, cols % 8 == 0. */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32): void {
  const rowBytes = cols >>> 3;
  const outRowBytes = rows >>> 3;
  for (let r = 0; r < rows; r += 16) {
    const base = src + <usize>(r * rowBytes);
    const tiled = rowBytes & ~15;
    for (let cb = 0; cb < tiled; cb += 16) {
      tile(
        base + <usize>cb,
        <usize>rowBytes,
        dst + <usize>((cb << 3) * outRowBytes + (r >>> 3)),
        <usize>outRowBytes,
      );
    }
    for (let cb = tiled; cb < rowBytes; cb++) {
      let v = i8x16.splat(0);
      const p = base + <usize>cb;
      v = i8x16.replace_lane(v, 0, load<i8>(p));
      v = i8x16.replace_lane(v, 1, load<i8>(p + <usize>rowBytes));
      v = i8x16.replace_lane(v, 2, load<i8>(p + <usize>(2 * rowBytes)));
      v = i8x16.replace_lane(v, 3, load<i8>(p + <usize>(3 * rowBytes)));
      v = i8x16.replace_lane(v, 4, load<i8>(p + <usize>(4 * rowBytes)));
      v = i8x16.replace_lane(v, 5, load<i8>(p + <usize>(5 * rowBytes)));
      v = i8x16.replace_lane(v, 6, load<i8>(p + <usize>(6 * rowBytes)));
      v = i8x16.replace_lane(v, 7, load<i8>(p + <usize>(7 * rowBytes)));
      v = i8x16.replace_lane(v, 8, load<i8>(p + <usize>(8 * rowBytes)));
      v = i8x16.replace_lane(v, 9, load<i8>(p + <usize>(9 * rowBytes)));
      v = i8x16.replace_lane(v, 10, load<i8>(p + <usize>(10 * rowBytes)));
      v = i8x16.replace_lane(v, 11, load<i8>(p + <usize>(11 * rowBytes)));
      v = i8x16.replace_lane(v, 12, load<i8>(p + <usize>(12 * rowBytes)));
      v = i8x16.replace_lane(v, 13, load<i8>(p + <usize>(13 * rowBytes)));
      v = i8x16.replace_lane(v, 14, load<i8>(p + <usize>(14 * rowBytes)));
      v = i8x16.replace_lane(v, 15, load<i8>(p + <usize>(15 * rowBytes)));
      const out = dst + <usize>((cb << 3) * outRowBytes + (r >>> 3));
      for (let b = 7; b >= 0; b--) {
        store<u16>(out + <usize>(b * outRowBytes), <u16>i8x16.bitmask(v));
        v = i64x2.shl(v, 1);
      }
    }
  }
}

/** dst[i] ^= src[i] for `bytes` bytes (a multiple of 16). */
export function xorInto(dst: usize, src: usize, bytes: i32): void {
  for (let i: usize = 0; i < <usize>bytes; i += 16) {
    v128.store(dst + i, v128.xor(v128.load(dst + i), v128.load(src + i)));
  }
}

/**
 * The 1-out-of-N sender's key rows: for OT j < n and message x < N, row q_j ⊕ m_x (32 bytes
 * each, m_x = C(x) ∧ s), split into its low and high 16-byte halves at `lo` and `hi`.
 */
export function kkKeys(q: usize, masked: usize, n: i32, N: i32, lo: usize, hi: usize): void {
  let o: usize = 0;
  for (let j = 0; j < n; j++) {
    const q0 = v128.load(q + ((<usize>j) << 5));
    const q1 = v128.load(q + ((<usize>j) << 5) + 16);
    for (let x = 0; x < N; x++) {
      const m = masked + ((<usize>x) << 5);
      v128.store(lo + o, v128.xor(q0, v128.load(m)));
      v128.store(hi + o, v128.xor(q1, v128.load(m + 16)));
      o += 16;
    }
  }
}

/** dst ^= a ^ b for `bytes` bytes (a multiple of 16). */
export function xor2Into(dst: usize, a: usize, b: usize, bytes: i32): void {
  for (let i: usize = 0; i < <usize>bytes; i += 16) {
    v128.store(dst + i, v128.xor(v128.load(dst + i), v128.xor(v128.load(a + i), v128.load(b + i))));
  }
}

/**
 * dst = src ⊕ tweaks for `count` blocks: block k gets the tweak (lo, hi, 0, 0) with
 * lo + 2^32·hi = first + ⌊k / perTweak⌋, first = firstLo + 2^32·firstHi (the 1-out-of-N
 * sender's N keys of one OT share the OT's tweak).
 */
export function xorTweaks(
  dst: usize,
  src: usize,
  count: i32,
  firstLo: u32,
  firstHi: u32,
  perTweak: i32,
): void {
  let tweak: u64 = ((<u64>firstHi) << 32) | <u64>firstLo;
  let sub = 0;
  for (let k: usize = 0; k < <usize>count; k++) {
    const at = k << 4;
    store<u64>(dst + at, load<u64>(src + at) ^ tweak);
    store<u64>(dst + at + 8, load<u64>(src + at + 8));
    if (++sub === perTweak) {
      sub = 0;
      tweak++;
    }
  }
}

/** dst[i] = a[16·i] ^ b[16·i] for i < count: byte 0 of each block of a ⊕ b. */
export function firstBytes(dst: usize, a: usize, b: usize, count: i32): void {
  for (let i: usize = 0; i < <usize>count; i++) {
    store<u8>(dst + i, load<u8>(a + (i << 4)) ^ load<u8>(b + (i << 4)));
  }
}

/**
 * Packs (m[k] ^ h[k]) mod 2^bits for k < count into consecutive `bits`-bit fields at `out`
 * (least significant first), as the 1-out-of-N sender's reply.
 */
export function packMasked(m: usize, h: usize, count: i32, bits: i32, out: usize): void {
  const mask: u32 = ((<u32>1) << bits) - 1;
  let acc: u64 = 0;
  let used: i32 = 0;
  let o = out;
  for (let k: usize = 0; k < <usize>count; k++) {
    acc |= (<u64>((<u32>load<u8>(m + k) ^ <u32>load<u8>(h + k)) & mask)) << (<u64>used);
    used += bits;
    if (used >= 32) {
      store<u32>(o, <u32>acc);
      o += 4;
      acc >>= 32;
      used -= 32;
    }
  }
  while (used > 0) {
    store<u8>(o, <u8>acc);
    o++;
    acc >>= 8;
    used -= 8;
  }
}
