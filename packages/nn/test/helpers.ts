// Test helpers: a seeded RNG, little-endian float32 files, and a fast max-difference check
// (vitest's toEqual walks big typed arrays element by element, far too slowly).
import { readFileSync } from 'node:fs';

/** Deterministic uniform [-1, 1) numbers (mulberry32), so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * 2 - 1;
  };
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
