// The ring's residue formats on the wire, in the residue kernels' memory: seeded inputs' c0
// packed at 60 bits (a residue below a 60-bit prime wastes 4 of its 64 bits, so an input is
// 1/16 smaller), read back with the check that every residue is below its prime, and a
// seed's AES-CTR stream turned into residues uniform below each prime (rlwe.ts draws the
// stream). In JavaScript these took ≈ 0.7 ms per input on the server, half its reading.
//
// Pair layout, 15 bytes: the two low 32-bit halves (little-endian), then the two 28-bit high
// parts as one 56-bit little-endian integer, high0 | high1 << 28.

/**
 * out ← `count` (even) residues, each below 2^60, packed at 15 bytes per pair. Returns 0 if
 * one is not below 2^60 (the bytes are then meaningless), else 1.
 */
export function packResidues(out: usize, words: usize, count: i32): i32 {
  let over: u64 = 0;
  for (let i = 0; i < count; i += 2) {
    const w0 = load<u64>(words + (<usize>i << 3));
    const w1 = load<u64>(words + (<usize>i << 3), 8);
    over |= (w0 | w1) >> 60;
    const at = out + <usize>(15 * (i >> 1));
    store<u32>(at, <u32>w0);
    store<u32>(at, <u32>w1, 4);
    const high = (w0 >> 32) | ((w1 >> 32) << 28);
    store<u32>(at, <u32>high, 8);
    store<u16>(at, <u16>(high >> 32), 12);
    store<u8>(at, <u8>(high >> 48), 14);
  }
  return over == 0 ? 1 : 0;
}

/**
 * out ← k rows of n (even) residues unpacked from `bytes` (15 per pair). Returns 1 if every
 * residue of row j is below primes[j], else 0: the kernels assume canonical residues.
 */
export function unpackResidues(out: usize, bytes: usize, n: i32, k: i32, primes: usize): i32 {
  let bad: u32 = 0;
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const row = out + (<usize>(j * n) << 3);
    const packed = bytes + <usize>(15 * (j * n >> 1));
    for (let i = 0; i < n; i += 2) {
      const at = packed + <usize>(15 * (i >> 1));
      // Bytes 7..14: the 56-bit high parts after byte 7.
      const high = load<u64>(at, 7) >> 8;
      const w0 = <u64>load<u32>(at) | ((high & 0xfffffff) << 32);
      const w1 = <u64>load<u32>(at, 4) | ((high >> 28) << 32);
      store<u64>(row + (<usize>i << 3), w0);
      store<u64>(row + (<usize>i << 3), w1, 8);
      bad |= <u32>(w0 >= q) | <u32>(w1 >= q);
    }
  }
  return bad ? 0 : 1;
}

/**
 * out ← k rows of n residues, row j uniform below primes[j]: the u64 draws at `draws` in
 * order, each masked to its prime's bit length and kept when below it, row after row.
 * Returns the draws used, or −1 when the `count` given ran out first.
 */
export function uniformResidues(out: usize, draws: usize, count: i32, n: i32, k: i32, primes: usize): i32 {
  let next = 0;
  for (let j = 0; j < k; j++) {
    const q = load<u64>(primes + (<usize>j << 3));
    const mask = <u64>-1 >> clz(q);
    const row = out + (<usize>(j * n) << 3);
    // Stored whether kept or not, and overwritten when not: no branch on random data.
    for (let i = 0; i < n; next++) {
      if (next === count) return -1;
      const v = load<u64>(draws + (<usize>next << 3)) & mask;
      store<u64>(row + (<usize>i << 3), v);
      i += <i32>(v < q);
    }
  }
  return next;
}
