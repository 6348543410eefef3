/**
 * The WebAssembly SIMD convolution over Z_2^32 (asm/ring-conv.ts, embedded as base64): the
 * server's local half W·x0 of a ring conv or FC layer at ℓ ≤ 32, ≈ 20× the JavaScript loop's
 * speed (a 64-channel 3×3 conv of 28×28 outputs, 29 M products: 84 → 4 ms). Image by image, the input,
 * weights and output are staged in the module's memory, which keeps its size between calls.
 * Compiled synchronously on first use, once per thread.
 */
import { type ConvLayer, convOutputSize } from '@secinfer/mpc-primitives';
import { compileKernel, instantiateKernel } from './instantiate.js';
import { RING_CONV_WASM_BASE64 } from './ring-conv.wasm.js';

interface RingConvExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  convolveRing32(
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
  ): void;
}

let kernel: RingConvExports | undefined;

/** Page 0 holds the module's own data; staged arrays start at page 1. */
const BASE = 65536;

/** Bytes of im2col rows per chunk: read once per output channel, so they should stay in L2. */
const ROWS_BYTES = 1 << 18;

/**
 * The NCHW convolution of `x` (batch·C·H·W values) with `w` (M·C·kH·kW), every value taken mod
 * 2^32 as an Int32 and the sums wrapped mod 2^32: the low ℓ bits are the convolution over
 * Z_2^ℓ for any ℓ ≤ 32. Layers with dilations other than 1 are the caller's to refuse.
 */
export function convolveRing32(layer: ConvLayer, x: Int32Array, w: Int32Array): Int32Array {
  kernel ??= instantiateKernel<RingConvExports>(compileKernel(RING_CONV_WASM_BASE64));
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kH, kW] = layer.kernel;
  const [OH, OW] = convOutputSize(layer);
  const K = C * kH * kW;
  const image = C * H * W;
  const outputs = M * OH * OW;
  const chunk = Math.max(4, Math.min(Math.floor(ROWS_BYTES / (4 * K)) & ~3, (OH * OW + 3) & ~3));
  const xAt = BASE;
  const wAt = xAt + 4 * image;
  const outAt = wAt + 4 * w.length;
  const scratchAt = outAt + 4 * outputs;
  const end = scratchAt + 4 * (K + 1) * chunk;
  const grow = end - kernel.memory.buffer.byteLength;
  if (grow > 0) kernel.memory.grow(Math.ceil(grow / 65536));
  const memory = kernel.memory.buffer;
  new Int32Array(memory, wAt, w.length).set(w);
  const result = new Int32Array(batch * outputs);
  for (let b = 0; b < batch; b++) {
    new Int32Array(memory, xAt, image).set(x.subarray(b * image, (b + 1) * image));
    kernel.convolveRing32(
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
    );
    result.set(new Int32Array(memory, outAt, outputs), b * outputs);
  }
  return result;
}
