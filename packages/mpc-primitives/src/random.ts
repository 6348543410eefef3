/**
 * Uniform ring elements for shares and masks, from @secinfer/ot's randomness (OS-seeded
 * AES-CTR, the project's one source), which this package re-exports for words and bits.
 */
import { randomWords } from '@secinfer/ot';
import { ParameterError } from './errors.js';
import type { Ring } from './ring.js';

export { randomBits, randomWords } from '@secinfer/ot';

/** n uniformly random elements of Z_2^ℓ (canonical). */
export function ringRandom(r: Ring, n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new ParameterError(`element count must be a non-negative integer, got ${n}`);
  const out = randomWords(n * r.words);
  const { maskLo, maskHi } = r;
  if (r.words === 1) {
    if (maskLo !== 0xffffffff) for (let i = 0; i < out.length; i++) out[i]! &= maskLo;
  } else if (maskHi !== 0xffffffff) for (let i = 1; i < out.length; i += 2) out[i]! &= maskHi;
  return out;
}
