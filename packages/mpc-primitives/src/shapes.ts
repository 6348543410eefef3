/**
 * The layer shapes shared by every linear backend (ot-linear, he-linear) and the executor
 * above them, declared once so that a layer described for one backend is valid for the other.
 * Each backend checks a shape against what it supports before any I/O, with its own typed
 * error (he-linear, for one, has no dilation).
 */

/**
 * A 2-D convolution, groups = 1: NCHW activations [batch, inChannels, height, width], weights
 * [outChannels, inChannels, kh, kw], output [batch, outChannels, OH, OW], no bias.
 */
export interface ConvLayer {
  readonly batch: number;
  readonly inChannels: number;
  readonly height: number;
  readonly width: number;
  readonly outChannels: number;
  /** [kh, kw] */
  readonly kernel: readonly [number, number];
  /** [sh, sw] */
  readonly strides: readonly [number, number];
  /** [top, left, bottom, right] */
  readonly pads: readonly [number, number, number, number];
  /** [dh, dw], default [1, 1] */
  readonly dilations?: readonly [number, number];
}

/** A fully-connected layer: x [batch, inFeatures] ↦ x · Wᵀ, W [outFeatures, inFeatures]. */
export interface FcLayer {
  readonly batch: number;
  readonly inFeatures: number;
  readonly outFeatures: number;
}

/**
 * Outputs along one axis of a sliding window (convolution or pooling): ⌊(size + pads − span) /
 * stride⌋ + 1 with span = dilation·(kernel − 1) + 1. Zero or less when the window does not fit;
 * each caller checks its inputs and throws its own typed error.
 */
export function windowOutputSize(
  size: number,
  kernel: number,
  stride: number,
  padBefore: number,
  padAfter: number,
  dilation = 1,
): number {
  return Math.floor((size + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** A convolution's [OH, OW] by windowOutputSize (the layer is assumed checked). */
export function convOutputSize(layer: ConvLayer): [number, number] {
  const [pt, pl, pb, pr] = layer.pads;
  const [dh, dw] = layer.dilations ?? [1, 1];
  return [
    windowOutputSize(layer.height, layer.kernel[0], layer.strides[0], pt, pb, dh),
    windowOutputSize(layer.width, layer.kernel[1], layer.strides[1], pl, pr, dw),
  ];
}

/**
 * What is wrong with a convolution's shape, naming the field (every size, kernel, stride and
 * dilation a positive integer, four non-negative pads, a kernel that fits the padded input), or
 * undefined when it is well formed. Each linear backend wraps the text in its own typed error.
 */
export function convLayerProblem(layer: ConvLayer): string | undefined {
  const fields: [string, number | undefined][] = [
    ['batch', layer.batch],
    ['inChannels', layer.inChannels],
    ['height', layer.height],
    ['width', layer.width],
    ['outChannels', layer.outChannels],
    ['kernel[0]', layer.kernel?.[0]],
    ['kernel[1]', layer.kernel?.[1]],
    ['strides[0]', layer.strides?.[0]],
    ['strides[1]', layer.strides?.[1]],
    ['dilations[0]', layer.dilations?.[0] ?? 1],
    ['dilations[1]', layer.dilations?.[1] ?? 1],
  ];
  for (const [name, v] of fields)
    if (!Number.isSafeInteger(v) || (v as number) < 1)
      return `${name} = ${v} is not a positive integer`;
  if (
    !Array.isArray(layer.pads) ||
    layer.pads.length !== 4 ||
    layer.pads.some((p) => !Number.isSafeInteger(p) || p < 0)
  )
    return 'pads must be 4 non-negative integers [top, left, bottom, right]';
  const [oh, ow] = convOutputSize(layer);
  if (oh < 1 || ow < 1)
    return `the kernel ${layer.kernel.join('×')} (with its dilation) is larger than the padded input`;
  return undefined;
}
