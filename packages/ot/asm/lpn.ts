// WebAssembly SIMD kernel of Ferret's LPN step (compiled by tools/wasm/build.mjs into
// src/kernels/lpn.wasm.ts; src/ferret/lpn.ts documents the code and keeps the plain
// reference). The step is d random 16-byte reads per output row into the k-block reserve,
// bound by memory latency. Two passes per chunk of rows: first every column word becomes a
// byte offset ⌊w·k / 2^32⌋·16 in i32x4 lanes, then each read is one unchecked v128.load
// whose address is already known, XORed into two accumulators per row, so the CPU keeps
// many misses in flight at once (the plain loop's bounds-checked Int32 loads serialize them;
// the two passes measured ~2× faster than indices computed inside the read loop). The
// receiver's bits ride in the same read loop as its blocks, packed 8 to a byte: a pass of
// their own over a byte per column re-read every offset and missed in cache as often as the
// blocks (measured ~0.25 s of a round's 0.56 s); packed, the k bits (72 KiB) stay in L2.
//
// Memory is staged by src/kernels/lpn-wasm.ts: the reserve x (16 bytes per column) and its
// bits (bit c of x at bit c & 7 of byte c >> 3), a chunk's column words (d per row, from the AES stream;
// rewritten in place, with room for a whole last vector), and the chunk's rows of y (16
// bytes each) and of its bits. A wasm32 memory holds at most 2^28 blocks, so offsets fit u32.

/** cols[i] ← ⌊cols[i]·k / 2^32⌋·16 for i < count, rounded up to whole vectors. */
function toOffsets(cols: usize, count: i32, k: u32): void {
  const kv = i32x4.splat(k);
  for (let i = 0; i < count; i += 4) {
    const p = cols + ((<usize>i) << 2);
    const w = v128.load(p);
    const lo = i64x2.extmul_low_i32x4_u(w, kv);
    const hi = i64x2.extmul_high_i32x4_u(w, kv);
    const high = i8x16.shuffle(lo, hi, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31);
    v128.store(p, i32x4.shl(high, 4));
  }
}

/** y_r ⊕= the blocks of x at row r's d offsets. */
function gatherBlocks(x: usize, offs: usize, y: usize, rows: i32, d: i32): void {
  const pairs = d >> 1;
  let c = offs;
  for (let r = 0; r < rows; r++) {
    const at = y + ((<usize>r) << 4);
    let a = v128.load(at);
    let b = i32x4.splat(0);
    if (d & 1) {
      a = v128.xor(a, v128.load(x + <usize>load<u32>(c)));
      c += 4;
    }
    for (let j = 0; j < pairs; j++) {
      a = v128.xor(a, v128.load(x + <usize>load<u32>(c)));
      b = v128.xor(b, v128.load(x + <usize>load<u32>(c, 4)));
      c += 8;
    }
    v128.store(at, v128.xor(a, b));
  }
}

/** gatherBlocks, and yBits_r ⊕= the bits of x at row r's d offsets in the same loop. */
function gatherBlocksAndBits(
  x: usize,
  xBits: usize,
  offs: usize,
  y: usize,
  yBits: usize,
  rows: i32,
  d: i32,
): void {
  const pairs = d >> 1;
  let c = offs;
  for (let r = 0; r < rows; r++) {
    const at = y + ((<usize>r) << 4);
    let a = v128.load(at);
    let b = i32x4.splat(0);
    let bit: u32 = load<u8>(yBits + r);
    if (d & 1) {
      const o = <usize>load<u32>(c);
      a = v128.xor(a, v128.load(x + o));
      bit ^= bitAt(xBits, o);
      c += 4;
    }
    for (let j = 0; j < pairs; j++) {
      const o0 = <usize>load<u32>(c);
      const o1 = <usize>load<u32>(c, 4);
      a = v128.xor(a, v128.load(x + o0));
      b = v128.xor(b, v128.load(x + o1));
      bit ^= bitAt(xBits, o0) ^ bitAt(xBits, o1);
      c += 8;
    }
    v128.store(at, v128.xor(a, b));
    store<u8>(yBits + r, bit & 1);
  }
}

/** Bit c of the packed bits, for the block offset o = 16c. */
@inline
function bitAt(xBits: usize, o: usize): u32 {
  return <u32>load<u8>(xBits + (o >> 7)) >> (<u32>(o >> 4) & 7);
}

/**
 * y_r ⊕= ⊕_j x_{⌊cols[r·d + j]·k / 2^32⌋} for the `rows` rows; the same on the rows' bit
 * bytes from the packed bits of x when `withBits`. Overwrites `cols`.
 */
export function encode(
  x: usize,
  xBits: usize,
  cols: usize,
  y: usize,
  yBits: usize,
  rows: i32,
  d: i32,
  k: u32,
  withBits: bool,
): void {
  toOffsets(cols, rows * d, k);
  if (withBits) gatherBlocksAndBits(x, xBits, cols, y, yBits, rows, d);
  else gatherBlocks(x, cols, y, rows, d);
}
