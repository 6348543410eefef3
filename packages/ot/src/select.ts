/**
 * Secret-indexed reads without a secret-dependent memory access. A receiver that picks its
 * message out of a 1-out-of-N reply by its choice, or builds a row from a table by it, would
 * otherwise touch a cache line that depends on the choice; here every byte or row a choice
 * could select is read, and the one wanted is kept by an all-ones mask computed without a
 * branch, so the addresses read depend only on public positions.
 */

/** −1 (all ones) when a = b, else 0, for 0 ≤ a, b < 2^31, without a branch. */
export function equalMask(a: number, b: number): number {
  return ((a ^ b) - 1) >> 31;
}

/**
 * Message `choice` of block `block` of a reply that packs N = 2^logN messages of `bits` ≤ 8
 * bits per block, least significant bit first: every byte the block spans is read.
 */
export function selectPacked(
  reply: Uint8Array,
  block: number,
  choice: number,
  logN: number,
  bits: number,
): number {
  const start = (block << logN) * bits;
  const target = start + choice * bits;
  const at = target >>> 3;
  let word = 0;
  for (let k = start >>> 3, last = (start + (bits << logN) - 1) >>> 3; k <= last; k++) {
    const v = reply[k]!;
    word |= (v & equalMask(k, at)) | ((v & equalMask(k, at + 1)) << 8);
  }
  return word >>> (target & 7);
}
