/**
 * Randomness: OS entropy (crypto.getRandomValues) for 16-byte seeds only, expanded by an
 * AES-CTR PRG for bulk bytes — fast, and never a non-cryptographic generator.
 */
import { AesPrg } from './aes.js';

/** 16 fresh bytes from the operating system. */
export function randomSeed(): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(16));
}

/** `bytes` uniformly random bytes: an OS seed expanded by AES-CTR. */
export function randomBytes(bytes: number): Uint8Array {
  return new AesPrg(randomSeed()).next(bytes);
}
