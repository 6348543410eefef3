/**
 * Convolution on BFV (Gazelle's channel packing, as SCI's conv-field.cpp "output packing"),
 * ending in additive shares over Z_n.
 *
 * Packing. Each ciphertext holds G = 2·(N/2)/B blocks of B slots (B = a power of two ≥ the
 * rows of one tile × the row width Wb; two rows of N/2 slots, cpr = N/(2B) blocks per row);
 * block g of an input ciphertext holds one input channel, block g of an output ciphertext one
 * output channel, output (r, ow) of a tile at position r·Wb + ow. Outputs taller than fit are
 * cut into tiles of T output rows.
 *
 * Kernel taps, strides and padding. For every kernel row dy and column phase px < min(sw, kw)
 * the CLIENT encrypts its share already shifted and strided: position (r, j) of a block holds
 * x[c, oh·sh + dy − pt, j·sw + px − pl] for j < Wb = OW + ⌈kw/sw⌉ − 1 (0 in the padding). Tap
 * (dy, dx = px + u·sw) is that copy rotated by u slots — so strides and padding are applied
 * when packing and only the OH × OW outputs are computed (never the stride-1 output); the
 * client sends kh·min(sw, kw) copies where SCI sends one image per stride phase. SCI
 * rotates the encrypted image once per tap before multiplying; we rotate only after the
 * plaintext products: a rotation's key-switching noise (≈ 2^29 × a fresh ciphertext's with
 * the 38-bit special prime) multiplied by the weights leaves too little budget for σ = 40
 * flooding at ℓ = 37 (63 bits, measured), while products-then-rotations keep it additive.
 *
 * Channel mixing (Gazelle's diagonal method inside a ciphertext). For output group o, each
 * "diagonal" (k, s), k < cpr, s ∈ {0, 1}, pairs source block (ρ, j) with destination block
 * (ρ ⊕ s, j − k mod cpr): Z_{k,s,u} = Σ_{dy, px, input group} X ⊙ P, with P's block (ρ, j)
 * holding the weight w[m, c, dy, px + u·sw] of the input channel c in that block and the
 * output channel m of the destination. Then, with S_{k,s} = Σ_u rot_u(Z_{k,s,u}),
 * Y_o = Σ_k rot_{kB}(S_{k,0}) + swap(Σ_k rot_{kB}(S_{k,1})): Horner chains of single
 * power-of-two rotations, all after the products.
 */

import { type ConvLayer, convOutputSize } from '@secinfer/mpc-primitives';
import { checkConvLayer } from '../cleartext.js';
import { HeShapeError } from '../errors.js';
import { ROW, SLOTS } from '../params.js';
import type { CipherText } from '../seal.js';
import type { HeSession } from '../session.js';
import { type LinearPlan, multiplyAccumulate, RotationSum, slotNormBits } from './plan.js';

/** The packing geometry of a convolution. */
export interface ConvGeometry {
  oh: number;
  ow: number;
  /** Slots per packed row: OW + ⌈kw/sw⌉ − 1 (the column shifts' halo). */
  rowWidth: number;
  /** Output rows per tile. */
  tileRows: number;
  tiles: number;
  /** Slots per block (a power of two). */
  block: number;
  /** Blocks per row. */
  perRow: number;
  /** Blocks (channels) per ciphertext. */
  groupSize: number;
  inGroups: number;
  outGroups: number;
  /** Column phases min(sw, kw): the client sends kh · phases copies per input group. */
  phases: number;
  /** Column shifts per phase: ⌈kw/sw⌉. */
  shifts: number;
  /** Input ciphertexts per (batch, tile) unit. */
  copies: number;
}

const nextPow2 = (v: number) => 2 ** Math.ceil(Math.log2(v));

/** The geometry of `layer`; throws HeShapeError if one packed row exceeds half a ciphertext. */
export function convGeometry(layer: ConvLayer): ConvGeometry {
  checkConvLayer(layer);
  const [oh, ow] = convOutputSize(layer);
  const [kh, kw] = layer.kernel;
  const sw = layer.strides[1];
  const shifts = Math.ceil(kw / sw);
  const rowWidth = ow + shifts - 1;
  if (rowWidth > ROW)
    throw new HeShapeError(
      `conv output width ${ow} (+ ${shifts - 1} halo) exceeds ${ROW} slots: split the image into column strips`,
    );
  const tileRows = Math.min(oh, Math.floor(ROW / rowWidth));
  const block = nextPow2(tileRows * rowWidth);
  const perRow = ROW / block;
  const groupSize = 2 * perRow;
  const inGroups = Math.ceil(layer.inChannels / groupSize);
  const phases = Math.min(sw, kw);
  return {
    oh,
    ow,
    rowWidth,
    tileRows,
    tiles: Math.ceil(oh / tileRows),
    block,
    perRow,
    groupSize,
    inGroups,
    outGroups: Math.ceil(layer.outChannels / groupSize),
    phases,
    shifts,
    copies: kh * phases * inGroups,
  };
}

/** Slot of position q in block g. */
const slotOf = (g: ConvGeometry, block: number, q: number) =>
  Math.floor(block / g.perRow) * ROW + (block % g.perRow) * g.block + q;

/** The conv plan: inputs ordered (batch, tile, dy, px, input group); outputs (batch, tile, output group). */
export function convPlan(session: HeSession, layer: ConvLayer): LinearPlan {
  const g = convGeometry(layer);
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.strides;
  const [pt, pl] = layer.pads;
  const units = batch * g.tiles;
  const rowsOf = (tile: number) => Math.min(g.tileRows, g.oh - tile * g.tileRows);
  const inputIndex = (unit: number, dy: number, px: number, group: number) =>
    ((unit * kh + dy) * g.phases + px) * g.inGroups + group;
  return {
    encoding: 'slots',
    plaintextNormBits: slotNormBits(session),
    inputCiphertexts: units * g.copies,
    outputCiphertexts: units * g.outGroups,
    productsPerOutput: kh * kw * g.inGroups * g.groupSize,
    outputLength: batch * M * g.oh * g.ow,
    pack(x, index, slots) {
      const group = index % g.inGroups;
      const px = Math.floor(index / g.inGroups) % g.phases;
      const dy = Math.floor(index / (g.inGroups * g.phases)) % kh;
      const unit = Math.floor(index / g.copies);
      const [b, tile] = [Math.floor(unit / g.tiles), unit % g.tiles];
      const rows = rowsOf(tile);
      for (let blk = 0; blk < g.groupSize; blk++) {
        const c = group * g.groupSize + blk;
        if (c >= C) break;
        const base = (b * C + c) * H * W;
        for (let r = 0; r < rows; r++) {
          const ih = (tile * g.tileRows + r) * sh + dy - pt;
          if (ih < 0 || ih >= H) continue;
          for (let j = 0; j < g.rowWidth; j++) {
            const iw = j * sw + px - pl;
            if (iw >= 0 && iw < W)
              slots[slotOf(g, blk, r * g.rowWidth + j)] = x[base + ih * W + iw]!;
          }
        }
      }
    },
    evaluate(s, inputs, weights, index, scope) {
      const outGroup = index % g.outGroups;
      const unit = Math.floor(index / g.outGroups);
      const span = rowsOf(unit % g.tiles) * g.rowWidth;
      const slots = new Float64Array(SLOTS);
      const chains: (CipherText | null)[] = [null, null];
      for (let swap = 0; swap < 2; swap++) {
        const outer = new RotationSum(s, g.block);
        for (let k = g.perRow - 1; k >= 0; k--) {
          const inner = new RotationSum(s, 1);
          for (let u = g.shifts - 1; u >= 0; u--) {
            let z: CipherText | null = null;
            for (let dy = 0; dy < kh; dy++)
              for (let px = 0; px < g.phases; px++) {
                const dx = px + u * sw;
                if (dx >= kw) continue;
                for (let group = 0; group < g.inGroups; group++) {
                  slots.fill(0);
                  for (let blk = 0; blk < g.groupSize; blk++) {
                    const c = group * g.groupSize + blk;
                    const [rho, j] = [Math.floor(blk / g.perRow), blk % g.perRow];
                    const m =
                      outGroup * g.groupSize +
                      (rho ^ swap) * g.perRow +
                      ((j - k + g.perRow) % g.perRow);
                    if (c >= C || m >= M) continue;
                    const start = slotOf(g, blk, 0);
                    slots.fill(weights[((m * C + c) * kh + dy) * kw + dx]!, start, start + span);
                  }
                  const input = inputs.ciphertext(inputIndex(unit, dy, px, group));
                  z = multiplyAccumulate(s, z, input, slots, scope);
                }
              }
            if (z) {
              s.evaluator.cipherTransformFromNtt(z, z);
              inner.add(z, u);
            }
          }
          const sum = inner.finish();
          if (sum) outer.add(sum, k);
        }
        chains[swap] = outer.finish();
      }
      const [straight, swapped] = chains;
      if (swapped) s.swapRows(swapped);
      if (!straight) return swapped ?? null;
      if (swapped) s.evaluator.add(straight, swapped, straight);
      return straight;
    },
    extract(slots, index, out) {
      const outGroup = index % g.outGroups;
      const unit = Math.floor(index / g.outGroups);
      const [b, tile] = [Math.floor(unit / g.tiles), unit % g.tiles];
      const rows = rowsOf(tile);
      for (let blk = 0; blk < g.groupSize; blk++) {
        const m = outGroup * g.groupSize + blk;
        if (m >= M) break;
        const base = ((b * M + m) * g.oh + tile * g.tileRows) * g.ow;
        const start = slotOf(g, blk, 0);
        for (let r = 0; r < rows; r++)
          for (let ow = 0; ow < g.ow; ow++)
            out[base + r * g.ow + ow] = slots[start + r * g.rowWidth + ow]!;
      }
    },
    local: (x, weights) => session.domain.conv(layer, x, weights),
  };
}
