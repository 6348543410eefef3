/**
 * GGM trees for single-point COT (Ferret §3): a punctured PRF on fixed-key AES. A node x has
 * children H(x) and H(x ⊕ C) with H(x) = π(x) ⊕ x (fixed-key AES, one batched call per
 * level for a whole group of trees) and C a public constant. The sender expands every
 * tree and reports each level's XOR of left and of right children; the receiver, missing
 * only the path to its punctured leaf α, gets the sum of the side off its path at each
 * level and rebuilds the sibling of the path node from it. Trees are stored tree-major:
 * level i of tree g is nodes [g·2^i, (g+1)·2^i), which level-wise expansion preserves.
 * `ggmSend` / `ggmReceive` run each level's XOR passes in a WebAssembly SIMD kernel; the
 * `…Reference` versions are the plain TS oracle of the tests.
 */
import { crHash } from '../aes.js';
import { GgmTreesWasm } from '../kernels/ggm-wasm.js';

/** The offset of the right child's input: any non-zero public block. */
const RIGHT = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

// Int32 words throughout: XOR with BigInt accumulators allocates in V8 (measured ~10× slower).
function lanes(a: Uint8Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
}

/** Every node's two children, in order: 2m blocks from m. */
export function expandLevel(nodes: Uint8Array): Uint8Array {
  const m = nodes.byteLength >>> 4;
  const inputs = new Uint8Array(32 * m);
  const x = lanes(nodes.byteOffset & 7 ? nodes.slice() : nodes);
  const y = lanes(inputs);
  for (let j = 0; j < m; j++) {
    const [a, b, c, d] = [x[4 * j]!, x[4 * j + 1]!, x[4 * j + 2]!, x[4 * j + 3]!];
    y[8 * j] = a;
    y[8 * j + 1] = b;
    y[8 * j + 2] = c;
    y[8 * j + 3] = d;
    y[8 * j + 4] = a ^ 1;
    y[8 * j + 5] = b;
    y[8 * j + 6] = c;
    y[8 * j + 7] = d;
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
    let [l0, l1, l2, l3, r0, r1, r2, r3] = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let w = g * perTree, end = w + perTree; w < end; w += 8) {
      l0 ^= x[w]!;
      l1 ^= x[w + 1]!;
      l2 ^= x[w + 2]!;
      l3 ^= x[w + 3]!;
      r0 ^= x[w + 4]!;
      r1 ^= x[w + 5]!;
      r2 ^= x[w + 6]!;
      r3 ^= x[w + 7]!;
    }
    o.set([l0, l1, l2, l3, r0, r1, r2, r3], 8 * g);
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
  const tree = new GgmTreesWasm(roots, h);
  for (let i = 1; i <= h; i++) {
    const s = tree.expand();
    for (let g = 0; g < trees; g++) sums.set(s.subarray(32 * g, 32 * g + 32), 32 * (g * h + i - 1));
  }
  leaves.set(tree.level());
  return sums;
}

/** `ggmSend` on the plain TS level passes: the test reference. */
export function ggmSendReference(roots: Uint8Array, h: number, leaves: Uint8Array): Uint8Array {
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
 * zero. α's bits run from the root: bit h−i of α chooses the side at level i. Returns each
 * tree's XOR of its rebuilt leaves (16 bytes per tree), from the last level's sums: the
 * caller needs it for leaf α, and a pass of its own would re-read every leaf.
 */
export function ggmReceive(
  alphas: Uint32Array,
  h: number,
  offPath: Uint8Array,
  leaves: Uint8Array,
): Uint8Array {
  const trees = alphas.length;
  const off = lanes(offPath);
  const totals = new Uint8Array(16 * trees);
  const total = lanes(totals);
  const tree = new GgmTreesWasm(new Uint8Array(16 * trees), h);
  for (let i = 1; i <= h; i++) {
    const sums = lanes(tree.expand());
    const x = lanes(tree.level());
    for (let g = 0; g < trees; g++) {
      const path = alphas[g]! >>> (h - i);
      const sibling = path ^ 1;
      const at = 4 * ((g << i) + sibling);
      // The path node was a zero placeholder, so the sums count its children too: the one
      // on the sibling's side is the block at the sibling now. Removing it leaves the true
      // nodes of that side, and the sibling is their XOR with the off-path sum.
      const side = 8 * g + 4 * (sibling & 1);
      const o = 4 * (g * h + i - 1);
      const pathAt = 4 * ((g << i) + path);
      for (let w = 0; w < 4; w++) {
        const rebuilt = sums[side + w]! ^ x[at + w]! ^ off[o + w]!;
        // All nodes of the level, with the two placeholder children swapped for the
        // rebuilt sibling and nothing at the path.
        if (i === h) {
          total[4 * g + w] =
            sums[8 * g + w]! ^ sums[8 * g + 4 + w]! ^ x[at + w]! ^ x[pathAt + w]! ^ rebuilt;
        }
        x[at + w] = rebuilt;
      }
      x.fill(0, pathAt, pathAt + 4);
    }
  }
  leaves.set(tree.level());
  return totals;
}

/** `ggmReceive` on the plain TS level passes: the test reference. */
export function ggmReceiveReference(
  alphas: Uint32Array,
  h: number,
  offPath: Uint8Array,
  leaves: Uint8Array,
): void {
  const trees = alphas.length;
  const off = lanes(offPath);
  let level: Uint8Array = new Uint8Array(16 * trees);
  for (let i = 1; i <= h; i++) {
    level = expandLevel(level);
    const x = lanes(level);
    const width = 1 << i;
    for (let g = 0; g < trees; g++) {
      const path = alphas[g]! >>> (h - i);
      const sibling = path ^ 1;
      const at = 4 * (g * width);
      // The path node's children came from a zero placeholder: clear both, then the sibling
      // is the off-path sum XOR every other node on its side.
      x.fill(0, at + 4 * path, at + 4 * path + 4);
      x.fill(0, at + 4 * sibling, at + 4 * sibling + 4);
      let [s0, s1, s2, s3] = [0, 0, 0, 0];
      for (let w = at + 4 * (sibling & 1), end = at + 4 * width; w < end; w += 8) {
        s0 ^= x[w]!;
        s1 ^= x[w + 1]!;
        s2 ^= x[w + 2]!;
        s3 ^= x[w + 3]!;
      }
      const o = 4 * (g * h + i - 1);
      x[at + 4 * sibling] = s0 ^ off[o]!;
      x[at + 4 * sibling + 1] = s1 ^ off[o + 1]!;
      x[at + 4 * sibling + 2] = s2 ^ off[o + 2]!;
      x[at + 4 * sibling + 3] = s3 ^ off[o + 3]!;
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
