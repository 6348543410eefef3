/**
 * Staging for the WebAssembly SIMD passes of a GGM level (asm/ggm.ts, embedded as base64),
 * around node:crypto's fixed-key AES. Chunks of parents small enough for the AES call and
 * the passes to stay in cache (64 KiB of AES input): parents copied in, the AES run on the
 * module's memory, children copied out. Synchronous, so parties in one process share it.
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
 * The children of `level` (2^treeLog parents per tree, trees in order) into `children`
 * (twice as long); returns each tree's XOR of left and of right children, 32 bytes per tree.
 */
export function expandLevelWasm(
  level: Uint8Array,
  treeLog: number,
  children: Uint8Array,
): Uint8Array {
  kernel ??= instantiate<Kernel>(GGM_WASM_BASE64);
  const k = kernel;
  const parents = level.byteLength >>> 4;
  const trees = parents >>> treeLog;
  const at = { parents: BASE, inputs: 0, perm: 0, children: 0, sums: 0 };
  at.inputs = at.parents + 16 * CHUNK;
  at.perm = at.inputs + 32 * CHUNK;
  at.children = at.perm + 32 * CHUNK;
  at.sums = at.children + 32 * CHUNK;
  reserve(k.memory, at.sums + 32 * trees - BASE);
  const u8 = new Uint8Array(k.memory.buffer);
  u8.fill(0, at.sums, at.sums + 32 * trees);
  for (let first = 0; first < parents; first += CHUNK) {
    const count = Math.min(CHUNK, parents - first);
    u8.set(level.subarray(16 * first, 16 * (first + count)), at.parents);
    k.childInputs(at.parents, count, at.inputs);
    u8.set(fixedKeyPermute(u8.subarray(at.inputs, at.inputs + 32 * count)), at.perm);
    k.combine(at.parents, at.perm, count, first, treeLog, at.sums, at.children);
    children.set(u8.subarray(at.children, at.children + 32 * count), 32 * first);
  }
  return u8.slice(at.sums, at.sums + 32 * trees);
}
