/**
 * GGM trees for single-point COT (Ferret §3): a punctured PRF on fixed-key AES. A node x has
 * children H(x) and H(x ⊕ C) with H(x) = π(x) ⊕ x (fixed-key AES, one batched call per
 * level for a whole group of trees) and C a public constant. The sender expands every
 * tree and reports each level's XOR of left and of right children; the receiver, missing
 * only the path to its punctured leaf α, gets the sum of the side off its path at each
 * level and rebuilds the sibling of the path node from it. Trees are stored tree-major:
 * level i of tree g is nodes [g·2^i, (g+1)·2^i), which level-wise expansion preserves.
 */
import { crHash } from '../aes.js';

/** The offset of the right child's input: any non-zero public block. */
const RIGHT = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
const RIGHT_LO = 1n;

function lanes(a: Uint8Array): BigUint64Array {
  return new BigUint64Array(a.buffer, a.byteOffset, a.byteLength >>> 3);
}

/** Every node's two children, in order: 2m blocks from m. */
export function expandLevel(nodes: Uint8Array): Uint8Array {
  const m = nodes.byteLength >>> 4;
  const inputs = new Uint8Array(32 * m);
  const x = lanes(nodes.byteOffset & 7 ? nodes.slice() : nodes);
  const y = lanes(inputs);
  for (let j = 0; j < m; j++) {
    const lo = x[2 * j]!;
    const hi = x[2 * j + 1]!;
    y[4 * j] = lo;
    y[4 * j + 1] = hi;
    y[4 * j + 2] = lo ^ RIGHT_LO;
    y[4 * j + 3] = hi;
  }
  return crHash(inputs);
}

/** Per tree, the XOR of its even (left) and of its odd (right) nodes: 32 bytes per tree. */
export function sideSums(level: Uint8Array, trees: number): Uint8Array {
  const out = new Uint8Array(32 * trees);
  const o = lanes(out);
  const x = lanes(level);
  const perTree = x.length / trees;
  for (let g = 0; g < trees; g++) {
    let l0 = 0n;
    let l1 = 0n;
    let r0 = 0n;
    let r1 = 0n;
    for (let w = g * perTree, end = w + perTree; w < end; w += 4) {
      l0 ^= x[w]!;
      l1 ^= x[w + 1]!;
      r0 ^= x[w + 2]!;
      r1 ^= x[w + 3]!;
    }
    o[4 * g] = l0;
    o[4 * g + 1] = l1;
    o[4 * g + 2] = r0;
    o[4 * g + 3] = r1;
  }
  return out;
}

/**
 * SENDER: expands `roots` (one block per tree) h levels; writes the leaves (2^h per tree)
 * into `leaves` and returns each tree's level sums, [left, right] for levels 1..h
 * (32·h bytes per tree).
 */
export function ggmSend(roots: Uint8Array, h: number, leaves: Uint8Array): Uint8Array {
  const trees = roots.byteLength >>> 4;
  const sums = new Uint8Array(32 * h * trees);
  let level = roots;
  for (let i = 1; i <= h; i++) {
    level = expandLevel(level);
    const s = sideSums(level, trees);
    for (let g = 0; g < trees; g++) sums.set(s.subarray(32 * g, 32 * g + 32), 32 * (g * h + i - 1));
  }
  leaves.set(level);
  return sums;
}

/**
 * RECEIVER: rebuilds every leaf but α_g of tree g from the sums of the sides off its path
 * (`offPath`: 16 bytes per tree and level, level 1 first), into `leaves`; leaf α_g is left
 * zero. α's bits run from the root: bit h−i of α chooses the side at level i.
 */
export function ggmReceive(
  alphas: Uint32Array,
  h: number,
  offPath: Uint8Array,
  leaves: Uint8Array,
): void {
  const trees = alphas.length;
  let level: Uint8Array = new Uint8Array(16 * trees);
  for (let i = 1; i <= h; i++) {
    level = expandLevel(level);
    const x = lanes(level);
    const width = 1 << i;
    for (let g = 0; g < trees; g++) {
      const path = alphas[g]! >>> (h - i);
      const sibling = path ^ 1;
      const at = 2 * (g * width);
      // The path node's children came from a zero placeholder: clear both, then the sibling
      // is the off-path sum XOR every other node on its side.
      x[at + 2 * path] = 0n;
      x[at + 2 * path + 1] = 0n;
      x[at + 2 * sibling] = 0n;
      x[at + 2 * sibling + 1] = 0n;
      let s0 = 0n;
      let s1 = 0n;
      for (let w = at + 2 * (sibling & 1), end = at + 2 * width; w < end; w += 4) {
        s0 ^= x[w]!;
        s1 ^= x[w + 1]!;
      }
      const o = lanes(offPath.subarray(16 * (g * h + i - 1), 16 * (g * h + i)));
      x[at + 2 * sibling] = s0 ^ o[0]!;
      x[at + 2 * sibling + 1] = s1 ^ o[1]!;
    }
  }
  leaves.set(level);
}

/** One tree's 2^h leaves by plain recursion, one AES call per node: the test reference. */
export function ggmTreeReference(root: Uint8Array, h: number): Uint8Array[] {
  if (h === 0) return [root];
  const left = crHash(root);
  const right = crHash(root.map((b, i) => b ^ RIGHT[i]!));
  return [...ggmTreeReference(left, h - 1), ...ggmTreeReference(right, h - 1)];
}
