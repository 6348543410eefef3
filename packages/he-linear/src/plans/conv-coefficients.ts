/**
 * Convolution on BFV with coefficient encoding (Cheetah's HomConv: Huang, Lu, Hong, Ding,
 * USENIX Security 2022), ending in additive shares over Z_n like the slot-packed plan. One
 * polynomial product computes a whole block of a convolution, so it needs ~kh·kw times fewer
 * products than the Gazelle packing (conv.ts) and no rotations at all — the products, not the
 * bytes, are what an HE convolution costs here.
 *
 * Strides, by polyphase decomposition. Tap (dy, dx) = (u·sh + a, v·sw + b) of output (i, j)
 * reads x[c, (i + u)·sh + a, (j + v)·sw + b] of the padded input: so the layer equals a
 * stride-1 "valid" convolution of the phase images X'[(c, a, b), i, j] = x[c, i·sh + a,
 * j·sw + b] (a < min(sh, kh), b < min(sw, kw): phases without taps are never sent) with the
 * kernels K'[m, (c, a, b), u, v] = K[m, c, u·sh + a, v·sw + b] of kh' × kw' = ⌈kh/sh⌉ ×
 * ⌈kw/sw⌉ taps (zero past the kernel). Padding is zeros in X'.
 *
 * Blocks. X' (C' × H' × W') is cut into blocks of Cw channels × Hw rows × Ww columns,
 * neighbouring spatial blocks overlapping by the kernel's halo, so a block gives a tile of
 * (Hw − kh' + 1) × (Ww − kw' + 1) outputs; a kernel plaintext serves Mw output channels, with
 * Mw·Cw·Hw·Ww ≤ N. With P = Hw·Ww and S = Cw·P, the CLIENT encodes a block as
 *   x̂ = Σ X'[q, r, s] · X^(q·P + r·Ww + s),
 * the SERVER, for output group j < Mw and channel block, the kernel
 *   k̂ = Σ K'[m_j, q, u, v] · X^(j·S + O − q·P − u·Ww − v),   O = (Cw − 1)·P + (kh' − 1)·Ww + kw' − 1.
 * In x̂·k̂ mod X^N + 1 the coefficient j·S + O + r·Ww + s (r, s inside the tile) is exactly
 * Σ_{q,u,v} X'[q, r + u, s + v]·K'[m_j, q, u, v]: exponents are mixed-radix numbers whose
 * digits (radices Ww, Hw, Cw, Mw) differ by less than their radix, so no other pair of terms
 * lands there, and no term wraps around X^N (the largest exponent is < N + O). The other
 * coefficients are garbage that the mask r (uniform over all N coefficients) hides.
 *
 * Output ciphertext (output group, tile) = Σ over channel blocks of x̂·k̂; each kernel
 * plaintext is moved to NTT form once and kept for the tiles of its group. Every product the
 * geometry names is computed, also for an all-zero kernel block: which blocks are zero (pruned
 * channels) is the server's secret, and skipping them would show in its reply time. Mw trades products
 * (more of them) for output ciphertexts (fewer): the geometry minimises a cost model of both.
 * The noise grows per product by ‖k̂‖₁ ≤ Mw·Cw·kh'·kw'·|w|max (SEAL lifts coefficients
 * centred; |w|max = n/2 in the field, the public weight bound in the ring) instead of a
 * batched plaintext's N·n.
 *
 * The plan is the same for both plaintext spaces (session.domain): in the ring Z_2^ℓ the
 * product x̂·k̂ mod (X^N + 1, 2^ℓ) is exactly Cheetah's HomConv, and an FC layer is the 1×1
 * convolution of a 1×1 image (domain.ts's fcAsConv: HomFC's packing).
 */

import { type ConvLayer, convOutputSize } from '@secinfer/mpc-primitives';
import { checkConvLayer } from '../cleartext.js';
import { HeShapeError } from '../errors.js';
import { MIN_BUDGET } from '../noise.js';
import { type HeParams, isRingParams, SLOTS } from '../params.js';
import type { KernelHandle, ProductTerms, ServerInputs } from '../protocols/inputs.js';
import { seededCiphertextBytes } from '../ring-bfv.js';
import type { HeSession } from '../session.js';
import { trimmedBytes } from '../trim.js';
import type { LinearPlan } from './plan.js';

/** The polyphase view and the block geometry of a convolution. */
export interface CoefficientConvGeometry {
  oh: number;
  ow: number;
  /** Phases per axis with at least one tap: min(s, k). */
  phasesH: number;
  phasesW: number;
  /** Phase channels C' = C · phasesH · phasesW. */
  channels: number;
  /** Taps per axis of the phase kernels: ⌈k/s⌉. */
  kh: number;
  kw: number;
  /** Block size: Cw channels × Hw rows × Ww columns. */
  blockChannels: number;
  blockHeight: number;
  blockWidth: number;
  /** Output channels per kernel plaintext (Mw·Cw·Hw·Ww ≤ N). */
  groupChannels: number;
  /** Outputs per tile: Hw − kh + 1 rows, Ww − kw + 1 columns. */
  tileHeight: number;
  tileWidth: number;
  tilesH: number;
  tilesW: number;
  channelBlocks: number;
  outGroups: number;
}

/**
 * Estimated milliseconds per operation (N = 8192, three primes, one thread), measured
 * 2026-12-06 on conv-56x56x64-3x3-s2-ring's timeline (timers around each step, three runs):
 * a product in NTT form with its accumulation (kernels/products.ts, SIMD), 0.10–0.11; a
 * kernel plaintext made from its taps and moved to NTT form, 0.31–0.36; an input ciphertext,
 * the client's encryption, 1.44–1.53 (the server's reading of it, 0.70–0.76, overlaps it, and
 * the server makes kernels ahead in the rest); an output ciphertext (the encryption of zero's
 * NTT, the sum's inverse NTT, flooding, mod switch, trimming; the client's decryption
 * overlaps the next), ≈ 2.8. On a declared link inputs and outputs also cost their transfer
 * (convOperationCosts).
 */
const COST: ConvOperationCosts = { product: 0.105, kernel: 0.33, input: 1.5, output: 2.8 };

/**
 * Estimates within this fraction of the least are a tie, which the fewer bytes break. Wider
 * than the constants' own precision (a few %) on purpose: bytes cost time on any link slower
 * than a loopback, and the model has none to price them by unless one is declared.
 * (conv-56x56x64-3x3-s2: 58 inputs, 16.13 MiB, estimated 9 % and measured 4 % slower on a
 * loopback than 116 inputs, 26.33 MiB — 10 MB that take 27 ms at `lan`, 230 at `wan`.)
 */
const TIE = 0.1;

/** Milliseconds per operation of the geometry's cost model (see COST). */
export interface ConvOperationCosts {
  readonly product: number;
  readonly kernel: number;
  readonly input: number;
  readonly output: number;
}

/**
 * The cost model of a session with `params`: COST, and on a declared link
 * (params.linkBytesPerSecond; the ring only) an input or an output costs the longer of its
 * compute and its transfer at that rate — a seeded input (ring-bfv.ts), an output at one
 * prime trimmed as noise.ts trims it when the budget allows (most layers: c0 keeps
 * ℓ + MIN_BUDGET + 3 bits, c1 log2 N more). The longer, not the sum: inputs stream while the
 * client encrypts the next and the server reads the last, outputs while the server computes
 * the next, so a ciphertext's transfer hides behind its neighbours' compute until the link is
 * the slowest stage. (Adding the two picked conv-56x56x64-3x3-s2's 58-input geometry at
 * `wan`, 16.13 MiB instead of 26.33, and measured 1.05× slower there.)
 */
export function convOperationCosts(params: HeParams): ConvOperationCosts {
  const link = params.linkBytesPerSecond;
  if (link === undefined || !isRingParams(params)) return COST;
  const ms = (bytes: number) => (1000 * bytes) / link;
  const bits = params.coeffModulusBits[0]!;
  const drop0 = bits - (Math.log2(params.plainModulus) + MIN_BUDGET + 3);
  const outputBytes = trimmedBytes(bits, drop0, drop0 - Math.log2(SLOTS));
  return {
    ...COST,
    input: Math.max(COST.input, ms(seededCiphertextBytes(params.coeffModulusBits.length - 1))),
    output: Math.max(COST.output, ms(outputBytes)),
  };
}

/**
 * The geometry with the least estimated time: every block height and width up to the phase
 * image's, every channel count that then fits, with as many output channels per kernel as
 * fit beside them; of estimates within 10 % of the least (TIE), the one that sends the fewest bytes.
 * Both parties must use the same `cost` (the default).
 */
export function coefficientConvGeometry(
  layer: ConvLayer,
  cost: ConvOperationCosts = COST,
): CoefficientConvGeometry {
  checkConvLayer(layer);
  const [oh, ow] = convOutputSize(layer);
  const [kH, kW] = layer.kernel;
  const [sh, sw] = layer.strides;
  const M = layer.outChannels;
  const phasesH = Math.min(sh, kH);
  const phasesW = Math.min(sw, kW);
  const channels = layer.inChannels * phasesH * phasesW;
  const kh = Math.ceil(kH / sh);
  const kw = Math.ceil(kW / sw);
  const height = oh + kh - 1;
  const width = ow + kw - 1;
  /**
   * Every block shape that can win, with its estimate and its size (its bytes in output
   * ciphertexts). Of the shapes with the same tile count along a dimension only the least is
   * visited, and of the channel counts with the same channelBlocks only the least: a larger
   * block at the same counts fits no more channels and leaves no more output channels per
   * kernel, so it is never better, nor first among equals (the visit order is otherwise
   * every height, every width, every channel count, ascending).
   */
  const scan = (
    visit: (estimate: number, size: number, height: number, width: number, cw: number) => void,
  ) => {
    const next = (count: number, extent: number, taps: number) =>
      count === 1 ? Number.POSITIVE_INFINITY : taps - 1 + Math.ceil(extent / (count - 1));
    for (let blockHeight = kh; blockHeight <= height; ) {
      const tilesH = Math.ceil(oh / (blockHeight - kh + 1));
      for (let blockWidth = kw; blockWidth <= width; ) {
        const plane = blockHeight * blockWidth;
        if (plane > SLOTS) break;
        const tilesW = Math.ceil(ow / (blockWidth - kw + 1));
        const tiles = tilesH * tilesW;
        const most = Math.min(channels, Math.floor(SLOTS / plane));
        for (let blockChannels = 1; blockChannels <= most; ) {
          const groupChannels = Math.min(M, Math.floor(SLOTS / (plane * blockChannels)));
          const channelBlocks = Math.ceil(channels / blockChannels);
          const outGroups = Math.ceil(M / groupChannels);
          const kernels = channelBlocks * outGroups;
          visit(
            cost.product * kernels * tiles +
              cost.kernel * kernels +
              cost.input * channelBlocks * tiles +
              cost.output * outGroups * tiles,
            // A seeded input at three primes is about two output ciphertexts' bytes.
            (2 * channelBlocks + outGroups) * tiles,
            blockHeight,
            blockWidth,
            blockChannels,
          );
          blockChannels = next(channelBlocks, channels, 1);
        }
        blockWidth = next(tilesW, ow, kw);
      }
      blockHeight = next(tilesH, oh, kh);
    }
  };
  // Estimates closer than the constants' own precision are a tie, which the fewer bytes break.
  let least = Number.POSITIVE_INFINITY;
  scan((estimate) => {
    least = Math.min(least, estimate);
  });
  if (least === Number.POSITIVE_INFINITY)
    throw new HeShapeError(
      `a ${kh}×${kw} phase kernel does not fit a block of ${SLOTS} coefficients`,
    );
  let [blockHeight, blockWidth, blockChannels] = [kh, kw, 1];
  let bestSize = Number.POSITIVE_INFINITY;
  scan((estimate, size, h, w, cw) => {
    if (estimate <= least * (1 + TIE) && size < bestSize)
      [blockHeight, blockWidth, blockChannels, bestSize] = [h, w, cw, size];
  });
  const groupChannels = Math.min(M, Math.floor(SLOTS / (blockHeight * blockWidth * blockChannels)));
  const tileHeight = blockHeight - kh + 1;
  const tileWidth = blockWidth - kw + 1;
  return {
    oh,
    ow,
    phasesH,
    phasesW,
    channels,
    kh,
    kw,
    blockChannels,
    blockHeight,
    blockWidth,
    groupChannels,
    tileHeight,
    tileWidth,
    tilesH: Math.ceil(oh / tileHeight),
    tilesW: Math.ceil(ow / tileWidth),
    channelBlocks: Math.ceil(channels / blockChannels),
    outGroups: Math.ceil(M / groupChannels),
  };
}

/**
 * Kernel plaintexts the server makes ahead while it waits for inputs, at most: ~170 at three
 * primes, which a layer's input phase rarely has idle time for.
 */
const MAX_AHEAD_BYTES = 32 * 2 ** 20;

/**
 * The coefficient conv plan: inputs ordered (batch, tile, channel block); outputs (batch,
 * output group, tile), so consecutive outputs share their kernel plaintexts.
 */
export function coefficientConvPlan(session: HeSession, layer: ConvLayer): LinearPlan {
  const g = coefficientConvGeometry(layer, convOperationCosts(session.params));
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kH, kW] = layer.kernel;
  const [sh, sw] = layer.strides;
  const [pt, pl] = layer.pads;
  const tiles = g.tilesH * g.tilesW;
  const plane = g.blockHeight * g.blockWidth;
  const spacing = g.blockChannels * plane;
  const origin = (g.blockChannels - 1) * plane + (g.kh - 1) * g.blockWidth + g.kw - 1;
  /** Input channel, row phase and column phase of phase channel c'. */
  const phaseOf = (channel: number) => {
    const b = channel % g.phasesW;
    const rest = Math.floor(channel / g.phasesW);
    return [Math.floor(rest / g.phasesH), rest % g.phasesH, b] as const;
  };
  // SERVER: the kernel plaintexts in the product kernel's memory, by output group — the group
  // being evaluated and those made ahead of it (`prepareAhead`), all freed together when an
  // output needs a group that is not among them.
  const made = new Map<number, KernelHandle[]>();
  /** The next group `prepareAhead` fills, in the order outputs use them. */
  let ahead = 0;
  const release = () => {
    made.clear();
    ahead = 0;
  };

  // SERVER: the kernel being made, as its taps' positions and values (one pair of arrays for
  // all of them): which positions hold a tap follows from the geometry alone.
  const taps = g.groupChannels * g.blockChannels * g.kh * g.kw;
  let positions: Int32Array | undefined;
  let values: Float64Array | undefined;
  /** k̂ for output group o and channel block cb, in the kernels' memory in NTT form. */
  const kernel = (
    inputs: ServerInputs,
    weights: Float64Array,
    o: number,
    cb: number,
  ): KernelHandle => {
    positions ??= new Int32Array(taps);
    values ??= new Float64Array(taps);
    let count = 0;
    for (let j = 0; j < g.groupChannels; j++) {
      const m = o * g.groupChannels + j;
      if (m >= M) break;
      for (let q = 0; q < g.blockChannels; q++) {
        const channel = cb * g.blockChannels + q;
        if (channel >= g.channels) break;
        const [c, a, b] = phaseOf(channel);
        for (let u = 0; u < g.kh; u++) {
          const dy = u * sh + a;
          if (dy >= kH) break;
          for (let v = 0; v < g.kw; v++) {
            const dx = v * sw + b;
            if (dx >= kW) break;
            positions[count] = j * spacing + origin - q * plane - u * g.blockWidth - v;
            values[count++] = weights[((m * C + c) * kH + dy) * kW + dx]!;
          }
        }
      }
    }
    return inputs.kernel(positions, values, count);
  };

  const productTerms = (
    _session: HeSession,
    inputs: ServerInputs,
    weights: Float64Array,
    index: number,
  ): ProductTerms => {
    const tile = index % tiles;
    const o = Math.floor(index / tiles) % g.outGroups;
    const n = Math.floor(index / (tiles * g.outGroups));
    let handles = made.get(o);
    if (handles?.length !== g.channelBlocks) {
      if (!handles) {
        inputs.releaseKernels();
        made.clear();
        handles = [];
        made.set(o, handles);
      }
      while (handles.length < g.channelBlocks)
        handles.push(kernel(inputs, weights, o, handles.length));
      ahead = g.outGroups;
    }
    return handles.map(
      (handle, cb) => [(n * tiles + tile) * g.channelBlocks + cb, handle] as const,
    );
  };

  /** SERVER: makes one kernel ahead of its output, the groups in order, within MAX_AHEAD_BYTES. */
  const prepareAhead = (inputs: ServerInputs, weights: Float64Array): boolean => {
    const kernelBytes = inputs.arena.plaintextBytes;
    let count = 0;
    for (const handles of made.values()) count += handles.length;
    if (ahead >= g.outGroups || (count + 1) * kernelBytes > MAX_AHEAD_BYTES) return false;
    let handles = made.get(ahead);
    if (!handles) {
      handles = [];
      made.set(ahead, handles);
    }
    handles.push(kernel(inputs, weights, ahead, handles.length));
    if (handles.length === g.channelBlocks) ahead++;
    return true;
  };

  return {
    encoding: 'coefficients',
    plaintextNormBits:
      Math.log2(g.groupChannels * g.blockChannels * g.kh * g.kw) + session.domain.weightNormBits,
    inputCiphertexts: batch * tiles * g.channelBlocks,
    outputCiphertexts: batch * g.outGroups * tiles,
    productsPerOutput: g.channelBlocks,
    outputLength: batch * M * g.oh * g.ow,
    pack(x, index, values) {
      const cb = index % g.channelBlocks;
      const tile = Math.floor(index / g.channelBlocks) % tiles;
      const n = Math.floor(index / (g.channelBlocks * tiles));
      const top = Math.floor(tile / g.tilesW) * g.tileHeight;
      const left = (tile % g.tilesW) * g.tileWidth;
      for (let q = 0; q < g.blockChannels; q++) {
        const channel = cb * g.blockChannels + q;
        if (channel >= g.channels) break;
        const [c, a, b] = phaseOf(channel);
        const base = (n * C + c) * H * W;
        for (let r = 0; r < g.blockHeight; r++) {
          const y = (top + r) * sh + a - pt;
          if (y < 0 || y >= H) continue;
          for (let col = 0; col < g.blockWidth; col++) {
            const xPos = (left + col) * sw + b - pl;
            if (xPos >= 0 && xPos < W)
              values[q * plane + r * g.blockWidth + col] = x[base + y * W + xPos]!;
          }
        }
      }
    },
    evaluate: (s, inputs, weights, index, scope) =>
      inputs.productSum(productTerms(s, inputs, weights, index), scope),
    productTerms,
    prepareAhead,
    release,
    extract(values, index, out) {
      const tile = index % tiles;
      const o = Math.floor(index / tiles) % g.outGroups;
      const n = Math.floor(index / (tiles * g.outGroups));
      const top = Math.floor(tile / g.tilesW) * g.tileHeight;
      const left = (tile % g.tilesW) * g.tileWidth;
      const rows = Math.min(g.tileHeight, g.oh - top);
      const cols = Math.min(g.tileWidth, g.ow - left);
      for (let j = 0; j < g.groupChannels; j++) {
        const m = o * g.groupChannels + j;
        if (m >= M) break;
        const base = ((n * M + m) * g.oh + top) * g.ow + left;
        const at = j * spacing + origin;
        for (let r = 0; r < rows; r++)
          for (let col = 0; col < cols; col++)
            out[base + r * g.ow + col] = values[at + r * g.blockWidth + col]!;
      }
    },
    local: (x, weights) => session.domain.conv(layer, x, weights),
  };
}
