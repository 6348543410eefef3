/**
 * The WebAssembly convolution over Z_2^ℓ (asm/ring-conv.ts, embedded as base64): the server's
 * local half W·x0 of a ring conv or FC layer — mod 2^32 in SIMD lanes for ℓ ≤ 32, ≈ 20× the
 * JavaScript loop's speed (a 64-channel 3×3 conv of 28×28 outputs, 29 M products: 84 → 4 ms),
 * mod 2^64 for 32 < ℓ ≤ 53, where the JavaScript path split weights into digits (≈ 16 ns a
 * product). Image by image, the input, weights and output are staged in the module's memory
 * as f64 and converted to lanes there; the memory keeps its size between calls. Compiled
 * synchronously on first use, once per thread.
 */
import { type ConvLayer, convOutputSize } from '@secinfer/mpc-primitives';
import { compileKernel, instantiateKernel } from './instantiate.js';
import { RING_CONV_WASM_BASE64 } from './ring-conv.wasm.js';

interface RingConvExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  convolveRing(
    out: number,
    x: number,
    w: number,
    scratch: number,
    C: number,
    H: number,
    W: number,
    M: number,
    kH: number,
    kW: number,
    sH: number,
    sW: number,
    padTop: number,
    padLeft: number,
    OH: number,
    OW: number,
    chunk: number,
    wide: boolean,
  ): void;
  toLanes(at: number, count: number, wide: boolean): void;
  fromLanes(at: number, count: number, wide: boolean, mask: bigint): void;
}

let kernel: RingConvExports | undefined;

/** Page 0 holds the module's own data; staged arrays start at page 1. */
const BASE = 65536;

/** Bytes of im2col rows per chunk: read once per output channel, so they should stay in L2. */
const ROWS_BYTES = 1 << 18;

/**
 * The NCHW convolution over Z_2^ℓ (ℓ ≤ 53) of `x` (batch·C·H·W values in [0, 2^ℓ)) with `w`
 * (M·C·kH·kW, the same), exact: products and sums wrap mod 2^32 (ℓ ≤ 32) or 2^64, and each
 * output is its sum's low ℓ bits. Layers with dilations other than 1 are the caller's to refuse.
 */
export function convolveRing(
  layer: ConvLayer,
  ell: number,
  x: Float64Array,
  w: Float64Array,
): Float64Array {
  kernel ??= instantiateKernel<RingConvExports>(compileKernel(RING_CONV_WASM_BASE64));
  const wide = ell > 32;
  const lane = wide ? 8 : 4;
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kH, kW] = layer.kernel;
  const [OH, OW] = convOutputSize(layer);
  const K = C * kH * kW;
  const image = C * H * W;
  const outputs = M * OH * OW;
  const chunk = Math.max(4, Math.min(Math.floor(ROWS_BYTES / (lane * K)) & ~3, (OH * OW + 3) & ~3));
  // Staged as f64, converted to lanes in place.
  const xAt = BASE;
  const wAt = xAt + 8 * image;
  const outAt = wAt + 8 * w.length;
  const scratchAt = outAt + 8 * outputs;
  const end = scratchAt + lane * (K + 1) * chunk;
  const grow = end - kernel.memory.buffer.byteLength;
  if (grow > 0) kernel.memory.grow(Math.ceil(grow / 65536));
  const stage = (at: number, values: Float64Array) => {
    new Float64Array(kernel!.memory.buffer, at, values.length).set(values);
    kernel!.toLanes(at, values.length, wide);
  };
  stage(wAt, w);
  const mask = (1n << BigInt(ell)) - 1n;
  const result = new Float64Array(batch * outputs);
  for (let b = 0; b < batch; b++) {
    stage(xAt, x.subarray(b * image, (b + 1) * image));
    kernel.convolveRing(
      outAt,
      xAt,
      wAt,
      scratchAt,
      C,
      H,
      W,
      M,
      kH,
      kW,
      layer.strides[0],
      layer.strides[1],
      layer.pads[0],
      layer.pads[1],
      OH,
      OW,
      chunk,
      wide,
    );
    kernel.fromLanes(outAt, outputs, wide, mask);
    result.set(new Float64Array(kernel.memory.buffer, outAt, outputs), b * outputs);
  }
  return result;
}
