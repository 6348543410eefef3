/**
 * Fully-connected layer on BFV: Gazelle's hybrid diagonal method (SCI's fc-field.cpp),
 * ending in additive shares over Z_n.
 *
 * Packing. The inputs are cut into chunks of P = nextPow2(inFeatures) ≤ N/2 features; the
 * CLIENT encrypts each chunk replicated across the slots (slot s holds x[s mod P]), so a row
 * rotation by r gives x[(s + r) mod P] everywhere. Outputs: d = the number of diagonals
 * (a power of two ≤ P) is the least that fits all outputs, Q = N·d/P outputs per ciphertext;
 * output o sits at slot (ρ, block b of P slots, offset u < d) with o = (ρ·(N/2)/P + b)·d + u,
 * and every slot (ρ, b, j) works for the output of offset j mod d.
 *
 * Evaluation. V_r = Σ_chunks X ⊙ D′_r (r < d), D′_r being the r-th generalised diagonal
 * pre-rotated by −r in the clear, so that Σ_r rot_r(V_r) holds, at slot (ρ, b, j), the partial
 * sum over the inputs (j .. j + d − 1) mod P of its output; the products come first, the
 * rotations after (a Horner chain of d − 1 single-step rotations), so key-switching noise is
 * never multiplied by the weights. Then rotate-and-sum by d, 2d, …, P/2 completes each sum
 * at the offsets u < d (the other slots mix blocks and carry only masked garbage).
 */

import type { FcLayer } from '@secinfer/mpc-primitives';
import { checkFcLayer } from '../cleartext.js';
import { ROW, SLOTS } from '../params.js';
import type { CipherText } from '../seal.js';
import type { HeSession } from '../session.js';
import { type LinearPlan, multiplyAccumulate, RotationSum, slotNormBits } from './plan.js';

/** The packing geometry of an FC layer. */
export interface FcGeometry {
  /** Features per chunk (a power of two ≤ N/2). */
  chunk: number;
  chunks: number;
  diagonals: number;
  /** Outputs per ciphertext. */
  perCiphertext: number;
  outGroups: number;
}

const nextPow2 = (v: number) => 2 ** Math.ceil(Math.log2(v));

export function fcGeometry(layer: FcLayer): FcGeometry {
  checkFcLayer(layer);
  const chunk = Math.min(ROW, nextPow2(layer.inFeatures));
  const diagonals = Math.min(chunk, nextPow2(Math.ceil((layer.outFeatures * chunk) / SLOTS)));
  const perCiphertext = (SLOTS * diagonals) / chunk;
  return {
    chunk,
    chunks: Math.ceil(layer.inFeatures / chunk),
    diagonals,
    perCiphertext,
    outGroups: Math.ceil(layer.outFeatures / perCiphertext),
  };
}

/** The slot of output o (within its ciphertext). */
function outputSlot(g: FcGeometry, o: number): number {
  const blocksPerRow = ROW / g.chunk;
  const [blockIndex, u] = [Math.floor(o / g.diagonals), o % g.diagonals];
  return Math.floor(blockIndex / blocksPerRow) * ROW + (blockIndex % blocksPerRow) * g.chunk + u;
}

/** The FC plan: inputs ordered (batch, chunk); outputs (batch, output group). */
export function fcPlan(session: HeSession, layer: FcLayer): LinearPlan {
  const g = fcGeometry(layer);
  const { batch, inFeatures: I, outFeatures: O } = layer;
  const blocksPerRow = ROW / g.chunk;
  return {
    encoding: 'slots',
    plaintextNormBits: slotNormBits(session),
    inputCiphertexts: batch * g.chunks,
    outputCiphertexts: batch * g.outGroups,
    productsPerOutput: g.chunks * g.chunk,
    outputLength: batch * O,
    pack(x, index, slots) {
      const [b, chunk] = [Math.floor(index / g.chunks), index % g.chunks];
      for (let s = 0; s < SLOTS; s++) {
        const i = chunk * g.chunk + (s % g.chunk);
        if (i < I) slots[s] = x[b * I + i]!;
      }
    },
    evaluate(s, inputs, weights, index, scope) {
      const [b, outGroup] = [Math.floor(index / g.outGroups), index % g.outGroups];
      const slots = new Float64Array(SLOTS);
      const sum = new RotationSum(s, 1);
      for (let r = g.diagonals - 1; r >= 0; r--) {
        let v: CipherText | null = null;
        for (let chunk = 0; chunk < g.chunks; chunk++) {
          slots.fill(0);
          // D′_r[pos] = D_r[pos − r]: the weight for output o(pos − r) and input (pos mod P) + chunk·P.
          for (let s2 = 0; s2 < SLOTS; s2++) {
            const rho = s2 >= ROW ? 1 : 0;
            const src = (s2 - rho * ROW - r + ROW) % ROW; // the un-rotated position in the row
            const o =
              outGroup * g.perCiphertext +
              (rho * blocksPerRow + Math.floor(src / g.chunk)) * g.diagonals +
              (src % g.diagonals);
            const i = chunk * g.chunk + (s2 % g.chunk);
            if (o < O && i < I) slots[s2] = weights[o * I + i]!;
          }
          v = multiplyAccumulate(s, v, inputs.ciphertext(b * g.chunks + chunk), slots, scope);
        }
        if (v) {
          s.evaluator.cipherTransformFromNtt(v, v);
          sum.add(v, r);
        }
      }
      const acc = sum.finish();
      if (!acc) return null;
      for (let step = g.diagonals; step < g.chunk; step *= 2) {
        const rotated = scope.track(acc.clone());
        s.rotateRows(rotated, step);
        s.evaluator.add(acc, rotated, acc);
      }
      return acc;
    },
    extract(slots, index, out) {
      const [b, outGroup] = [Math.floor(index / g.outGroups), index % g.outGroups];
      const first = outGroup * g.perCiphertext;
      for (let o = first; o < Math.min(O, first + g.perCiphertext); o++)
        out[b * O + o] = slots[outputSlot(g, o - first)]!;
    },
    local: (x, weights) => session.domain.fc(layer, x, weights),
  };
}
