/**
 * BigInt oracles and vector builders for the arithmetic tests (test code only: BigInt is the
 * reference the typed-array kernels are checked against, element by element).
 */
import { seededRandom, testSeed } from '@secinfer/transport';
import { beforeEach, onTestFailed } from 'vitest';
import type { Ring } from '../src/index.js';

/** The seed of a test file's random data (SECINFER_TEST_SEED overrides), printed on failure. */
export const SEED = testSeed(1);
/** The file's seeded generator (the project's PRNG): uniform [0, 1). */
export const random = seededRandom(SEED);
beforeEach(() => {
  onTestFailed(() => {
    console.error(`random test data: SECINFER_TEST_SEED=${SEED}`);
  });
});

export const ELLS = [1, 8, 31, 32, 33, 37, 41, 63, 64] as const;

/** Reads a Z_2^ℓ vector into unsigned bigints. */
export function toBig(r: Ring, x: Uint32Array): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < x.length; i += r.words)
    out.push(BigInt(x[i]!) + (r.words === 2 ? BigInt(x[i + 1]!) << 32n : 0n));
  return out;
}

/** Writes bigints (any sign) into a canonical Z_2^ℓ vector. */
export function fromBig(r: Ring, values: bigint[]): Uint32Array {
  const out = new Uint32Array(values.length * r.words);
  values.forEach((v, i) => {
    const u = BigInt.asUintN(r.ell, v);
    out[i * r.words] = Number(u & 0xffffffffn);
    if (r.words === 2) out[i * r.words + 1] = Number(u >> 32n);
  });
  return out;
}

/** The signed reading of an unsigned ℓ-bit bigint. */
export function signed(ell: number, u: bigint): bigint {
  return BigInt.asIntN(ell, u);
}

/** The edge values of Z_2^ℓ: 0, ±1, ±2, −2^(ℓ−1), 2^(ℓ−1)−1, 2^(ℓ−1)+1, 2^32 ± 1 when ℓ > 32. */
export function edges(ell: number): bigint[] {
  const half = 1n << BigInt(ell - 1);
  const values = [0n, 1n, -1n, 2n, -2n, -half, half - 1n, -half + 1n, 3n];
  if (ell > 32) values.push((1n << 32n) - 1n, 1n << 32n, (1n << 32n) + 1n, -(1n << 32n));
  return values;
}

/** Seeded random bigints in [0, 2^ℓ), plus every edge value. */
export function sample(ell: number, count: number): bigint[] {
  const out = edges(ell);
  for (let i = 0; i < count; i++) {
    const lo = BigInt(Math.floor(random() * 2 ** 32));
    const hi = BigInt(Math.floor(random() * 2 ** 32));
    out.push(BigInt.asUintN(ell, (hi << 32n) | lo));
  }
  return out;
}
