/**
 * The WebAssembly convolutions over Z_2^ℓ (asm/ring-conv.ts, embedded as base64): the server's
 * local half W·x0 of a ring conv or FC layer — mod 2^32 in SIMD lanes for ℓ ≤ 32, ≈ 20× the
 * JavaScript loop's speed (a 64-channel 3×3 conv of 28×28 outputs, 29 M products: 84 → 4 ms),
 * mod 2^64 for 32 < ℓ ≤ 53, where the JavaScript path splits weights into digits (≈ 16 ns a
 * product). Image by image, the input, weights and output are staged in the module's memory,
 * which keeps its size between calls. Compiled synchronously on first use, once per thread.
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
  convertWords(at: number, count: number, toWords: boolean, mask: bigint): void;
}

let kernel: RingConvExports | undefined;

/** Page 0 holds the module's own data; staged arrays start at page 1. */
const BASE = 65536;

/** Bytes of im2col rows per chunk: read once per output channel, so they should stay in L2. */
const ROWS_BYTES = 1 << 18;

/**
 * Runs the module's convolution image by image on values `bytes` wide (8: i64): `stage`
 * writes an array into the module's memory, `read` takes an image's output from it.
 */
function convolveImages(
  layer: ConvLayer,
  bytes: 4 | 8,
  weightCount: number,
  stage: (k: RingConvExports, at: number, what: 'weights' | number) => void,
  read: (k: RingConvExports, at: number, outputs: number, b: number) => void,
): void {
  kernel ??= instantiateKernel<RingConvExports>(compileKernel(RING_CONV_WASM_BASE64));
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kH, kW] = layer.kernel;
  const [OH, OW] = convOutputSize(layer);
  const K = C * kH * kW;
  const image = C * H * W;
  const outputs = M * OH * OW;
  const chunk = Math.max(
    4,
    Math.min(Math.floor(ROWS_BYTES / (bytes * K)) & ~3, (OH * OW + 3) & ~3),
  );
  const xAt = BASE;
  const wAt = xAt + bytes * image;
  const outAt = wAt + bytes * weightCount;
  const scratchAt = outAt + bytes * outputs;
  const end = scratchAt + bytes * (K + 1) * chunk;
  const grow = end - kernel.memory.buffer.byteLength;
  if (grow > 0) kernel.memory.grow(Math.ceil(grow / 65536));
  stage(kernel, wAt, 'weights');
  for (let b = 0; b < batch; b++) {
    stage(kernel, xAt, b);
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
      bytes === 8,
    );
    read(kernel, outAt, outputs, b);
  }
}

/**
 * The NCHW convolution of `x` (batch·C·H·W values) with `w` (M·C·kH·kW), every value taken mod
 * 2^32 as an Int32 and the sums wrapped mod 2^32: the low ℓ bits are the convolution over
 * Z_2^ℓ for any ℓ ≤ 32. Layers with dilations other than 1 are the caller's to refuse.
 */
export function convolveRing32(layer: ConvLayer, x: Int32Array, w: Int32Array): Int32Array {
  const image = layer.inChannels * layer.height * layer.width;
  const [OH, OW] = convOutputSize(layer);
  const result = new Int32Array(layer.batch * layer.outChannels * OH * OW);
  convolveImages(
    layer,
    4,
    w.length,
    (k, at, what) =>
      new Int32Array(k.memory.buffer, at, what === 'weights' ? w.length : image).set(
        what === 'weights' ? w : x.subarray(what * image, (what + 1) * image),
      ),
    (k, at, outputs, b) => result.set(new Int32Array(k.memory.buffer, at, outputs), b * outputs),
  );
  return result;
}

/**
 * The same over Z_2^ℓ for 32 < ℓ ≤ 53 on values in [0, 2^ℓ) held as doubles: products and sums
 * wrap mod 2^64, and the result is each sum's low ℓ bits.
 */
export function convolveRingWide(
  layer: ConvLayer,
  ell: number,
  x: Float64Array,
  w: Float64Array,
): Float64Array {
  const image = layer.inChannels * layer.height * layer.width;
  const [OH, OW] = convOutputSize(layer);
  const result = new Float64Array(layer.batch * layer.outChannels * OH * OW);
  const mask = (1n << BigInt(ell)) - 1n;
  convolveImages(
    layer,
    8,
    w.length,
    (k, at, what) => {
      const values = what === 'weights' ? w : x.subarray(what * image, (what + 1) * image);
      new Float64Array(k.memory.buffer, at, values.length).set(values);
      k.convertWords(at, values.length, true, 0n);
    },
    (k, at, outputs, b) => {
      k.convertWords(at, outputs, false, mask);
      result.set(new Float64Array(k.memory.buffer, at, outputs), b * outputs);
    },
  );
  return result;
}
