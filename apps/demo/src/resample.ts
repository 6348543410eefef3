// Image resizing exactly as PIL's `Image.resize(size, BILINEAR)` does it, which is what
// torchvision's `transforms.Resize` runs on PIL images: a triangle filter whose support widens
// with the downscale factor (antialiasing), coefficients in 22-bit fixed point, a horizontal
// then a vertical pass, each rounded to 8 bits. Matching it to the bit matters: one 8-bit
// step is 1/255/std ≈ 0.017 after ImageNet normalisation. Then torchvision's shorter-side
// resize and centre crop on top.

/** One 8-bit channel of an image, row-major. */
export interface Plane {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const PRECISION_BITS = 32 - 8 - 2;

/** Per output pixel: the first input pixel, how many are used, and their fixed-point weights. */
function coefficients(inSize: number, outSize: number) {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filterScale; // the bilinear filter's support is 1
  const kernelSize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * kernelSize);
  const w = new Float64Array(kernelSize);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const n = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let x = 0; x < n; x++) {
      const t = Math.abs((x + xmin - center + 0.5) / filterScale);
      w[x] = t < 1 ? 1 - t : 0;
      sum += w[x]!;
    }
    for (let x = 0; x < n; x++) {
      const k = sum !== 0 ? w[x]! / sum : w[x]!;
      weights[o * kernelSize + x] = Math.trunc((k < 0 ? -0.5 : 0.5) + k * 2 ** PRECISION_BITS);
    }
    first[o] = xmin;
    count[o] = n;
  }
  return { first, count, weights, kernelSize };
}

function clip8(acc: number): number {
  const v = acc >> PRECISION_BITS;
  return Math.min(Math.max(v, 0), 255);
}

/**
 * One pass along an axis: `outer` lines of `inSize` pixels become lines of `outSize` pixels;
 * `layout(line, i, size)` is the index of pixel i of a line in a buffer of lines `size` long.
 */
function pass(
  src: Uint8Array,
  inSize: number,
  outSize: number,
  outer: number,
  layout: (line: number, i: number, size: number) => number,
): Uint8Array {
  const { first, count, weights, kernelSize } = coefficients(inSize, outSize);
  const out = new Uint8Array(outer * outSize);
  for (let line = 0; line < outer; line++) {
    for (let o = 0; o < outSize; o++) {
      let acc = 1 << (PRECISION_BITS - 1);
      const k = o * kernelSize;
      for (let x = 0; x < count[o]!; x++)
        acc += src[layout(line, first[o]! + x, inSize)]! * weights[k + x]!;
      out[layout(line, o, outSize)] = clip8(acc);
    }
  }
  return out;
}

/** PIL's `resize((width, height), Image.BILINEAR)` of one channel. */
export function resizeBilinear(src: Plane, width: number, height: number): Plane {
  let data = src.data;
  let w = src.width;
  if (width !== w) {
    data = pass(data, w, width, src.height, (row, x, size) => row * size + x);
    w = width;
  }
  if (height !== src.height) {
    const rowWidth = w;
    data = pass(data, src.height, height, rowWidth, (col, y) => y * rowWidth + col);
  }
  return { width, height, data };
}

/** torchvision's `Resize(size)` for an int size: the shorter side becomes `size`. */
export function shorterSideSize(
  width: number,
  height: number,
  size: number,
): { width: number; height: number } {
  const long = Math.trunc((size * Math.max(width, height)) / Math.min(width, height));
  return width <= height ? { width: size, height: long } : { width: long, height: size };
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision's `CenterCrop((height, width))` of an image at least that large. */
export function centerCrop(src: Plane, width: number, height: number): Plane {
  const top = roundHalfEven((src.height - height) / 2);
  const left = roundHalfEven((src.width - width) / 2);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    data.set(
      src.data.subarray((top + y) * src.width + left, (top + y) * src.width + left + width),
      y * width,
    );
  return { width, height, data };
}
