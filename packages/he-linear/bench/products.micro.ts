/**
 * Microbenchmark: the product sums of conv-56x56x64-3x3-s2's ring geometry (64 sums of 29
 * ciphertext × plaintext terms over 116 distinct inputs and 464 distinct kernel plaintexts,
 * N = 8192, three 60-bit primes), on random residues in product form, median of rounds.
 * Run:
 *   node --conditions=@secinfer/source --import tsx packages/he-linear/bench/products.micro.ts
 */
import { randomBytes } from 'node:crypto';
import { ProductArena } from '../src/kernels/products.js';
import { ringHeParamsFor, SLOTS } from '../src/params.js';
import { loadSeal } from '../src/seal.js';

const ROUNDS = 9;
const [INPUTS, KERNELS, TILES, GROUPS, TERMS] = [116, 464, 4, 16, 29];

const seal = await loadSeal();
const parms = seal.EncryptionParameters(seal.SchemeType.bfv);
parms.setPolyModulusDegree(SLOTS);
const bits = ringHeParamsFor(32).coeffModulusBits;
parms.setCoeffModulus(seal.CoeffModulus.Create(SLOTS, Int32Array.from(bits)));
const primes = Array.from(parms.coeffModulus).slice(0, -1);
const arena = new ProductArena(primes, SLOTS);
const random = (at: number, rows: number) => {
  const words = arena.words(at, rows * SLOTS);
  const bytes = new BigUint64Array(randomBytes(8 * words.length).buffer, 0, words.length);
  for (let i = 0; i < words.length; i++)
    words[i] = bytes[i]! % primes[Math.floor(i / SLOTS) % primes.length]!;
  arena.toProductForm(at, rows);
  return at;
};
const k = primes.length;
const inputs = Array.from({ length: INPUTS }, () =>
  random(arena.alloc(arena.ciphertextBytes), 2 * k),
);
const kernels = Array.from({ length: KERNELS }, () => random(arena.alloc(arena.plaintextBytes), k));
const samples: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  for (let group = 0; group < GROUPS; group++)
    for (let tile = 0; tile < TILES; tile++)
      arena.sum(
        Array.from(
          { length: TERMS },
          (_, block) => [inputs[tile * TERMS + block]!, kernels[group * TERMS + block]!] as const,
        ),
      );
  samples.push(performance.now() - start);
}
const median = samples.sort((a, b) => a - b)[ROUNDS >> 1]!;
console.log(
  JSON.stringify({
    sums: GROUPS * TILES,
    products: GROUPS * TILES * TERMS,
    milliseconds: +median.toFixed(1),
    microsecondsPerProduct: +((1000 * median) / (GROUPS * TILES * TERMS)).toFixed(1),
  }),
);
