/**
 * Staging for the WebAssembly SIMD passes of a GGM level (asm/ggm.ts, embedded as base64),
 * around the fixed-key AES (src/aes.ts), in chunks of parents small enough for the AES call
 * and the passes to stay in cache (64 KiB of AES input).
 */
import { fixedKeyPermute } from '../aes.js';
import { GGM_WASM_BASE64 } from './ggm.wasm.js';
import { BASE, instantiate, reserve, type WasmMemory } from './wasm.js';

interface Kernel {
  memory: WasmMemory;
  childInputs(parents: number, count: number, out: number): void;
  combine(
    parents: number,
    perm: number,
    count: number,
    first: number,
    treeLog: number,
    sums: number,
    children: number,
  ): void;
}

let kernel: Kernel | undefined;

/** Parents per chunk: 2^11, i.e. 64 KiB of AES input. */
const CHUNK = 1 << 11;

/**
 * A group of GGM trees expanded level by level inside the module's memory: the levels
 * alternate between two regions of the size of the leaves, so only the AES output is copied
 * in and only what the caller reads is copied out. One group at a time per process, used
 * synchronously from construction to the last read.
 */
export class GgmTreesWasm {
  readonly #k: Kernel;
  readonly #trees: number;
  readonly #at: { inputs: number; perm: number; sums: number };
  #level: number;
  #other: number;
  #depth = 0;

  /** The trees of `roots` (one block each), to be expanded up to h levels. */
  constructor(roots: Uint8Array, h: number) {
    kernel ??= instantiate<Kernel>(GGM_WASM_BASE64);
    this.#k = kernel;
    const trees = roots.byteLength >>> 4;
    this.#trees = trees;
    const levelBytes = (16 * trees) << h;
    this.#level = BASE;
    this.#other = BASE + levelBytes;
    const inputs = BASE + 2 * levelBytes;
    this.#at = { inputs, perm: inputs + 32 * CHUNK, sums: inputs + 64 * CHUNK };
    reserve(kernel.memory, this.#at.sums + 32 * trees - BASE);
    new Uint8Array(kernel.memory.buffer).set(roots, this.#level);
  }

  /** The current level (2^depth nodes per tree, tree-major), a view of the module's memory. */
  level(): Uint8Array {
    return new Uint8Array(this.#k.memory.buffer, this.#level, (16 * this.#trees) << this.#depth);
  }

  /** Expands every node one level down; returns each tree's XOR of left and of right children. */
  expand(): Uint8Array {
    const k = this.#k;
    const at = this.#at;
    const u8 = new Uint8Array(k.memory.buffer);
    const parents = this.#trees << this.#depth;
    u8.fill(0, at.sums, at.sums + 32 * this.#trees);
    for (let first = 0; first < parents; first += CHUNK) {
      const count = Math.min(CHUNK, parents - first);
      k.childInputs(this.#level + 16 * first, count, at.inputs);
      u8.set(fixedKeyPermute(u8.subarray(at.inputs, at.inputs + 32 * count)), at.perm);
      const children = this.#other + 32 * first;
      k.combine(this.#level + 16 * first, at.perm, count, first, this.#depth, at.sums, children);
    }
    [this.#level, this.#other] = [this.#other, this.#level];
    this.#depth++;
    return u8.slice(at.sums, at.sums + 32 * this.#trees);
  }
}
