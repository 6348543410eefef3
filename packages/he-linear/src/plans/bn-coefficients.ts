/**
 * Batch norm's multiplication y[n, c, p] = scale[c]·x[n, c, p] with coefficient encoding
 * (Cheetah's HomBN, for the ring Z_2^ℓ, which has no SIMD slots): one product per ciphertext,
 * no rotations.
 *
 * A ciphertext holds Cw channels × P positions (P = min(spatial, N), longer planes in chunks
 * of P) as x̂ = Σ x[c_q, p]·X^(q·P + p); the kernel is k̂ = Σ_q scale[c_q]·X^(q·Cw·P). In x̂·k̂
 * the exponent q·P + p + q'·Cw·P has the mixed-radix digits (q·P + p, q') — radices Cw·P and
 * Cw, so no two pairs of terms collide — and stays below Cw²·P ≤ N (no wrap around X^N), so
 * coefficient q·(Cw + 1)·P + p is exactly scale[c_q]·x[c_q, p]; the rest is garbage the mask
 * hides. Cw = ⌊√(N/P)⌋: the most channels whose Cw² planes fit.
 */
import { type BnLayer, checkBnLayer } from '../cleartext.js';
import { SLOTS } from '../params.js';
import type { KernelHandle, ProductTerms, ServerInputs } from '../protocols/inputs.js';
import type { HeSession } from '../session.js';
import type { LinearPlan } from './plan.js';

/** The block geometry of a coefficient-encoded batch norm. */
export interface CoefficientBnGeometry {
  /** Positions per ciphertext and plane chunks. */
  positions: number;
  chunks: number;
  /** Channels per ciphertext and channel blocks. */
  blockChannels: number;
  channelBlocks: number;
}

export function coefficientBnGeometry(layer: BnLayer): CoefficientBnGeometry {
  checkBnLayer(layer);
  const positions = Math.min(layer.spatial, SLOTS);
  const blockChannels = Math.min(layer.channels, Math.floor(Math.sqrt(SLOTS / positions)));
  return {
    positions,
    chunks: Math.ceil(layer.spatial / positions),
    blockChannels,
    channelBlocks: Math.ceil(layer.channels / blockChannels),
  };
}

/** The plan: inputs and outputs ordered (channel block, batch, chunk), so kernels are reused. */
export function coefficientBnPlan(session: HeSession, layer: BnLayer): LinearPlan {
  const g = coefficientBnGeometry(layer);
  const { batch, channels, spatial } = layer;
  const P = g.positions;
  const perBlock = batch * g.chunks;
  /** (channel block, batch, chunk) of ciphertext `index`, and its first position. */
  const place = (index: number) => {
    const cb = Math.floor(index / perBlock);
    const n = Math.floor(index / g.chunks) % batch;
    return { cb, n, start: (index % g.chunks) * P };
  };
  /** Calls `at(element, coefficient)` for every element of ciphertext `index`. */
  const forEach = (index: number, stride: number, at: (e: number, coefficient: number) => void) => {
    const { cb, n, start } = place(index);
    for (let q = 0; q < g.blockChannels; q++) {
      const c = cb * g.blockChannels + q;
      if (c >= channels) break;
      const base = (n * channels + c) * spatial;
      for (let p = 0; p < P && start + p < spatial; p++) at(base + start + p, q * stride + p);
    }
  };
  let kernel: { block: number; handle: KernelHandle } | undefined;
  const productTerms = (
    _s: HeSession,
    inputs: ServerInputs,
    scale: Float64Array,
    index: number,
  ): ProductTerms => {
    const { cb } = place(index);
    if (kernel?.block !== cb) {
      inputs.releaseKernels();
      const positions = new Int32Array(g.blockChannels);
      const values = new Float64Array(g.blockChannels);
      let count = 0;
      for (let q = 0; q < g.blockChannels; q++) {
        const c = cb * g.blockChannels + q;
        if (c >= channels) break;
        positions[count] = q * g.blockChannels * P;
        values[count++] = scale[c]!;
      }
      kernel = { block: cb, handle: inputs.kernel(positions, values, count) };
    }
    return [[index, kernel.handle]];
  };
  return {
    encoding: 'coefficients',
    plaintextNormBits: Math.log2(g.blockChannels) + session.domain.weightNormBits,
    inputCiphertexts: g.channelBlocks * perBlock,
    outputCiphertexts: g.channelBlocks * perBlock,
    productsPerOutput: 1,
    outputLength: batch * channels * spatial,
    pack(x, index, values) {
      forEach(index, P, (e, coefficient) => {
        values[coefficient] = x[e]!;
      });
    },
    evaluate: (s, inputs, scale, index, scope) =>
      inputs.productSum(productTerms(s, inputs, scale, index), scope),
    productTerms,
    release() {
      kernel = undefined;
    },
    extract(values, index, out) {
      forEach(index, (g.blockChannels + 1) * P, (e, coefficient) => {
        out[e] = values[coefficient]!;
      });
    },
    local: (x, scale) => session.domain.bn(layer, x, scale),
  };
}
