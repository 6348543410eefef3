/**
 * Precomputed rows of 16 one-byte OT messages. The 1-out-of-16 OTs of the millionaires'
 * protocol and of triple generation offer, per OT, one of only 64 possible 16-byte rows
 * (indexed by 6 bits of the sender's state), so instead of computing 16 messages per OT the
 * sender copies a row as four 32-bit words. Pure; tables built once per process.
 */

/** 64 rows × 4 words, from a function of the row index and the message index k < 16. */
function table(message: (row: number, k: number) => number): Uint32Array {
  const rows = new Uint8Array(64 * 16);
  for (let row = 0; row < 64; row++)
    for (let k = 0; k < 16; k++) rows[row * 16 + k] = message(row, k);
  return new Uint32Array(rows.buffer);
}

/**
 * Millionaires' leaves, radix 16: row = digit x (4 bits) | gt0 << 4 | eq0 << 5; message k is
 * ((x > k) ⊕ gt0) << 1 | ((x = k) ⊕ eq0).
 */
export const LEAF_ROWS = table((row, k) => {
  const x = row & 15;
  return ((Number(x > k) ^ ((row >>> 4) & 1)) << 1) | (Number(x === k) ^ (row >>> 5));
});

/**
 * Two bit triples per OT: row = a0 | b0 << 1 | c0 << 2 | a0' << 3 | b0' << 4 | c0' << 5;
 * message j (the client's a1 | b1 << 1 | a1' << 2 | b1' << 3) is
 * ((a0 ⊕ a1)(b0 ⊕ b1) ⊕ c0) | ((a0' ⊕ a1')(b0' ⊕ b1') ⊕ c0') << 1.
 */
export const TRIPLE_ROWS = table((row, j) => {
  const low = ((row & 1) ^ (j & 1)) & (((row >>> 1) & 1) ^ ((j >>> 1) & 1));
  const high = (((row >>> 3) & 1) ^ ((j >>> 2) & 1)) & (((row >>> 4) & 1) ^ ((j >>> 3) & 1));
  return (low ^ ((row >>> 2) & 1)) | ((high ^ (row >>> 5)) << 1);
});

/** Writes row `rows[index]` as OT `ot`'s 16 messages into `out` (a Uint32Array view). */
export function copyRow(out: Uint32Array, ot: number, rows: Uint32Array, index: number): void {
  const from = index * 4;
  const to = ot * 4;
  out[to] = rows[from]!;
  out[to + 1] = rows[from + 1]!;
  out[to + 2] = rows[from + 2]!;
  out[to + 3] = rows[from + 3]!;
}
