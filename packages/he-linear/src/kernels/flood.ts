/**
 * The WebAssembly flooding kernel (asm/flood.ts, embedded as base64): c0's residues and the
 * random words are staged in the module's memory, reduced there with u64 arithmetic, and
 * copied back. Compiled synchronously on first use (the module is under 1 KiB).
 */
import { FLOOD_WASM_BASE64 } from './flood.wasm.js';
import { compileKernel, instantiateKernel } from './instantiate.js';

interface FloodExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  flood(
    c0: number,
    random: number,
    n: number,
    words: number,
    k: number,
    primes: number,
    halves: number,
  ): void;
}

let kernel: FloodExports | undefined;

/** Page 0 holds the module's own data; staged buffers start at page 1. */
const BASE = 65536;

/**
 * c0[j·n + i] ← c0[j·n + i] + (U_i − 2^(b−1)) mod q_j, in place: `c0` holds k·n residues
 * (u64, prime-major), `random` n·words u32 (U_i's words, most significant first, the first
 * masked to b − 32·(words − 1) bits), `primes` and `halves` (2^(b−1) mod q_j) k each.
 */
export function floodResidues(
  c0: BigUint64Array,
  random: Uint32Array,
  n: number,
  words: number,
  primes: readonly bigint[],
  halves: readonly bigint[],
): void {
  kernel ??= instantiateKernel<FloodExports>(compileKernel(FLOOD_WASM_BASE64));
  const k = primes.length;
  const [c0At, randomAt] = [BASE, BASE + c0.byteLength];
  const primesAt = randomAt + 8 * Math.ceil(random.byteLength / 8);
  const halvesAt = primesAt + 8 * k;
  const end = halvesAt + 8 * k;
  const grow = end - kernel.memory.buffer.byteLength;
  if (grow > 0) kernel.memory.grow(Math.ceil(grow / 65536));
  const memory = kernel.memory.buffer;
  new BigUint64Array(memory, c0At, c0.length).set(c0);
  new Uint32Array(memory, randomAt, random.length).set(random);
  new BigUint64Array(memory, primesAt, k).set(primes);
  new BigUint64Array(memory, halvesAt, k).set(halves);
  kernel.flood(c0At, randomAt, n, words, k, primesAt, halvesAt);
  c0.set(new BigUint64Array(memory, c0At, c0.length));
}
