/**
 * Rows of 16 one-byte OT messages, computed four at a time in 32-bit words. The 1-out-of-16
 * OTs of the millionaires' protocol and of triple generation offer, per OT, one of only 64
 * possible rows, fixed by 6 bits of the sender's secret state. A table of the 64 rows would be
 * the cheapest way to write one, but which of its 16 cache lines a lookup reads depends on
 * those bits; here each byte of a word is computed from the secret bits broadcast to all four
 * bytes, with no branch and no secret-dependent address. Pure.
 */

/** Bytes (k, k+1, k+2, k+3) of word w = k/4: the message indices of a word's four messages. */
const INDICES = Uint32Array.of(0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c);
const ONES = 0x01010101;
const HIGH = 0x80808080;

/** Bit i of each byte of `indices`, broadcast: byte k of the result is (k >> i) & 1. */
const indexBit = (indices: number, i: number) => (indices >>> i) & ONES;

/**
 * Millionaires' leaves, radix 16: writes OT `ot`'s 16 messages into `out` (a Uint32Array view),
 * message k = ((x > k) ⊕ gt0) << 1 | ((x = k) ⊕ eq0) for the sender's digit x < 16.
 */
export function writeLeafRow(out: Uint32Array, ot: number, x: number, gt0: number, eq0: number) {
  const xs = Math.imul(x, ONES);
  const g = Math.imul(gt0, ONES);
  const e = Math.imul(eq0, ONES);
  for (let w = 0; w < 4; w++) {
    const k = INDICES[w]!;
    // Per byte 0x80 + k − x, which keeps its top bit exactly when k ≥ x (no borrow crosses
    // a byte: 0x80 + k − x lies in [0x71, 0x8f]); and 0x80 + (k ⊕ x) − 1, top bit when k ≠ x.
    const greater = (~((k | HIGH) - xs) >>> 7) & ONES;
    const equal = (~(((k ^ xs) | HIGH) - ONES) >>> 7) & ONES;
    out[4 * ot + w] = (((greater ^ g) << 1) | (equal ^ e)) >>> 0;
  }
}

/**
 * Two bit triples per OT: writes OT `ot`'s 16 messages into `out`; the sender's bits are
 * (a0, b0, c0) and (a0', b0', c0'), message j (the client's a1 | b1 << 1 | a1' << 2 | b1' << 3)
 * is ((a0 ⊕ a1)(b0 ⊕ b1) ⊕ c0) | ((a0' ⊕ a1')(b0' ⊕ b1') ⊕ c0') << 1.
 */
export function writeTripleRow(
  out: Uint32Array,
  ot: number,
  [a0, b0, c0]: readonly [number, number, number],
  [a0p, b0p, c0p]: readonly [number, number, number],
) {
  const spread = (bit: number) => Math.imul(bit, ONES);
  for (let w = 0; w < 4; w++) {
    const j = INDICES[w]!;
    const low = ((spread(a0) ^ indexBit(j, 0)) & (spread(b0) ^ indexBit(j, 1))) ^ spread(c0);
    const high = ((spread(a0p) ^ indexBit(j, 2)) & (spread(b0p) ^ indexBit(j, 3))) ^ spread(c0p);
    out[4 * ot + w] = (low | (high << 1)) >>> 0;
  }
}
