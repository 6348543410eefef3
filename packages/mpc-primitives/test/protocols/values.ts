/** Test helpers: ℓ-bit values in the project's Z_2^ℓ layout, through BigInt (test code only). */
import { randomFillSync } from 'node:crypto';

export const words = (ell: number) => (ell <= 32 ? 1 : 2);

export function toLayout(values: bigint[], ell: number): Uint32Array {
  const w = words(ell);
  const mask = (1n << BigInt(ell)) - 1n;
  const out = new Uint32Array(values.length * w);
  values.forEach((v, j) => {
    const u = BigInt.asUintN(64, v) & mask;
    out[j * w] = Number(u & 0xffffffffn);
    if (w === 2) out[j * w + 1] = Number(u >> 32n);
  });
  return out;
}

export function randomValues(count: number, ell: number): bigint[] {
  const raw = randomFillSync(new BigUint64Array(count));
  return [...raw].map((v) => BigInt.asUintN(ell, v));
}

/** Unsigned edge values of ℓ bits: 0, 1, 2, middle ±1, all ones, and their neighbours. */
export function edgeValues(ell: number): bigint[] {
  const top = (1n << BigInt(ell)) - 1n;
  const half = 1n << BigInt(ell - 1);
  return [
    ...new Set(
      [0n, 1n, 2n, half - 1n, half, half + 1n, top - 1n, top].filter((v) => v >= 0n && v <= top),
    ),
  ];
}

/** Additive shares mod 2^ℓ of each value: [server, client]. */
export function additiveShares(values: bigint[], ell: number): [bigint[], bigint[]] {
  const masks = randomValues(values.length, ell);
  return [masks, values.map((v, i) => BigInt.asUintN(ell, v - masks[i]!))];
}

export function fromLayout(layout: Uint32Array, ell: number): bigint[] {
  const w = words(ell);
  return Array.from({ length: layout.length / w }, (_, j) =>
    w === 1 ? BigInt(layout[j]!) : BigInt(layout[2 * j]!) | (BigInt(layout[2 * j + 1]!) << 32n),
  );
}
