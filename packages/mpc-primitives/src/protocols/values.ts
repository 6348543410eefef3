/** Shape checks for Z_2^ℓ vectors in the project's layout (1 word per element for ℓ ≤ 32, else 2). */

export function wordsPerElement(ell: number): 1 | 2 {
  return ell <= 32 ? 1 : 2;
}

export function checkBitWidth(ell: number, max: number): void {
  if (!Number.isInteger(ell) || ell < 1 || ell > max)
    throw new RangeError(`bit width must be an integer in 1..${max}, got ${ell}`);
}
