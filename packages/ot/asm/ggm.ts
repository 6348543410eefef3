// WebAssembly SIMD passes of one GGM level (compiled by tools/wasm/build.mjs into
// src/kernels/ggm.wasm.ts; src/ferret/ggm.ts documents the trees and keeps the plain
// reference). The fixed-key AES between the two passes is src/aes.ts's: first each parent
// p becomes the AES inputs p and p ⊕ C, then the children H = π(·) ⊕ input are formed from
// the AES output and the parents again (no copy of the inputs kept), and each tree's XOR of
// left and of right children is summed on the way, where the plain code makes three passes.
//
// Memory is staged per chunk of parents by src/kernels/ggm-wasm.ts: parents (16 bytes
// each), AES inputs and outputs and children (32 bytes per parent), and the level's sums
// (32 bytes per tree, left then right).

/** C = 1 in the low byte: the right child's input offset. */
const RIGHT: v128 = i32x4(1, 0, 0, 0);

/** out[2j] = p_j, out[2j + 1] = p_j ⊕ C for the `count` parents. */
export function childInputs(parents: usize, count: i32, out: usize): void {
  for (let j = 0; j < count; j++) {
    const p = v128.load(parents + ((<usize>j) << 4));
    const o = out + ((<usize>j) << 5);
    v128.store(o, p);
    v128.store(o, v128.xor(p, RIGHT), 16);
  }
}

/**
 * children[2j] = perm[2j] ⊕ p_j, children[2j + 1] = perm[2j + 1] ⊕ p_j ⊕ C, and sums[tree]
 * ⊕= (left, right) with parent `first + j` in tree (first + j) >> treeLog.
 */
export function combine(
  parents: usize,
  perm: usize,
  count: i32,
  first: u32,
  treeLog: u32,
  sums: usize,
  children: usize,
): void {
  let j = 0;
  while (j < count) {
    const tree = (first + <u32>j) >> treeLog;
    const end = min<i32>(count, <i32>(((tree + 1) << treeLog) - first));
    let left = i32x4.splat(0);
    let right = i32x4.splat(0);
    for (; j < end; j++) {
      const p = v128.load(parents + ((<usize>j) << 4));
      const a = perm + ((<usize>j) << 5);
      const o = children + ((<usize>j) << 5);
      const l = v128.xor(v128.load(a), p);
      const r = v128.xor(v128.load(a, 16), v128.xor(p, RIGHT));
      v128.store(o, l);
      v128.store(o, r, 16);
      left = v128.xor(left, l);
      right = v128.xor(right, r);
    }
    const s = sums + ((<usize>tree) << 5);
    v128.store(s, v128.xor(v128.load(s), left));
    v128.store(s, v128.xor(v128.load(s, 16), right), 16);
  }
}
