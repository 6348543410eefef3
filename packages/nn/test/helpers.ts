// Test helpers: a seeded RNG, little-endian float32 files, and a fast max-difference check
// (vitest's toEqual walks big typed arrays element by element, far too slowly).
import { readFileSync } from 'node:fs';
import { seededRandom as uniformRandom } from '@secinfer/transport';

/** Deterministic uniform [-1, 1) numbers (the project's seeded PRNG), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  const next = uniformRandom(seed);
  return () => next() * 2 - 1;
}

/** A Float32Array of `n` seeded random values. */
export function randomArray(n: number, seed: number): Float32Array {
  const next = seededRandom(seed);
  return Float32Array.from({ length: n }, next);
}

/** Reads a raw little-endian float32 file. */
export function readFloat32(path: string): Float32Array {
  return new Float32Array(Uint8Array.from(readFileSync(path)).buffer);
}

/** max |a - b| over all elements, and max |b| (to scale it). */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): { abs: number; ref: number } {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let abs = 0;
  let ref = 0;
  for (let i = 0; i < a.length; i++) {
    abs = Math.max(abs, Math.abs(a[i]! - b[i]!));
    ref = Math.max(ref, Math.abs(b[i]!));
  }
  return { abs, ref };
}
