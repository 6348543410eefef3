/**
 * The project's one source of protocol randomness: OS entropy (crypto.getRandomValues) for
 * 16-byte seeds only, expanded by an AES-CTR PRG for bulk bytes, words and bits — fast (one
 * cipher call per 32 KiB, as fast as node:crypto randomFillSync, measured) and never a
 * non-cryptographic generator. mpc-primitives re-exports these and adds ring elements.
 */
import { AesPrg } from './aes.js';
import { requireCount } from './errors.js';

/** 16 fresh bytes from the operating system. */
export function randomSeed(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(16));
}

/** `bytes` uniformly random bytes: an OS seed expanded by AES-CTR. */
export function randomBytes(bytes: number): Uint8Array {
  requireCount(bytes, 'randomBytes');
  return new AesPrg(randomSeed()).fill(new Uint8Array(bytes));
}

/** `count` uniformly random uint32 words. */
export function randomWords(count: number): Uint32Array {
  requireCount(count, 'randomWords');
  const out = new Uint32Array(count);
  new AesPrg(randomSeed()).fill(new Uint8Array(out.buffer));
  return out;
}

/** `count` uniformly random bits, one 0/1 per byte. */
export function randomBits(count: number): Uint8Array {
  const out = randomBytes(count);
  for (let i = 0; i < count; i++) out[i]! &= 1;
  return out;
}
