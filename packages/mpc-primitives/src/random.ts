/**
 * Uniform randomness for shares and masks, from the OS CSPRNG (node:crypto randomFillSync:
 * one call per vector, no 65536-byte limit) — never a non-cryptographic generator.
 */
import { randomFillSync } from 'node:crypto';
import { ParameterError } from './errors.js';
import type { Ring } from './ring.js';

/** `count` uniformly random uint32 words. */
export function randomWords(count: number): Uint32Array {
  if (!Number.isInteger(count) || count < 0)
    throw new ParameterError(`word count must be a non-negative integer, got ${count}`);
  return randomFillSync(new Uint32Array(count));
}

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

/** n uniformly random bits, one 0/1 per byte. */
export function randomBits(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0)
    throw new ParameterError(`bit count must be a non-negative integer, got ${n}`);
  const out = randomFillSync(new Uint8Array(n));
  for (let i = 0; i < n; i++) out[i]! &= 1;
  return out;
}
