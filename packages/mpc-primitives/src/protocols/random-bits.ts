/** Uniform random 0/1 vectors from the OS CSPRNG (one random bit per element, not per byte). */
import { randomFillSync } from 'node:crypto';
import { unpackBits } from './bits.js';

export function randomBits(count: number): Uint8Array {
  return unpackBits(randomFillSync(new Uint8Array(Math.ceil(count / 8))), count);
}
