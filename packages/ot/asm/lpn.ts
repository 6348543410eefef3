// WebAssembly SIMD kernel of Ferret's LPN step (compiled by tools/wasm/build.mjs into
// src/kernels/lpn.wasm.ts; src/ferret/lpn.ts documents the code and keeps the plain
// reference). The step is d random 16-byte reads per output row into the k-block reserve,
// bound by memory latency: here each read is one unchecked v128.load whose address depends
// only on the column word, so the CPU keeps many of the misses in flight at once, where the
// plain loop's four bounds-checked Int32 loads per read serialize them.
//
// Memory is staged by src/kernels/lpn-wasm.ts: the reserve x (16 bytes per column) and its
// bits (one 0/1 byte per column), a chunk's column words (d per row, from the AES stream),
// and the chunk's rows of y (16 bytes each) and of its bits.

/** Column of word w in [0, k): ⌊w·k / 2^32⌋. */
@inline
function column(w: u32, k: u64): usize {
  return <usize>((<u64>w * k) >> 32);
}

/**
 * y_r ⊕= ⊕_c x_{column(cols[r·d + c])} for the `rows` rows; the same on bytes of bits when
 * `withBits`.
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
  const kk = <u64>k;
  let c = cols;
  for (let r = 0; r < rows; r++) {
    const at = y + ((<usize>r) << 4);
    let acc = v128.load(at);
    let bit: u32 = withBits ? load<u8>(yBits + r) : 0;
    for (let j = 0; j < d; j++) {
      const col = column(load<u32>(c), kk);
      acc = v128.xor(acc, v128.load(x + (col << 4)));
      if (withBits) bit ^= load<u8>(xBits + col);
      c += 4;
    }
    v128.store(at, acc);
    if (withBits) store<u8>(yBits + r, bit);
  }
}
