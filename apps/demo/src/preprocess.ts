// From decoded pixels to the model's input tensor, as the model card's InputSpec says: for
// ImageNet models torchvision's Resize(256) + CenterCrop(224) + ToTensor + Normalize(mean, std),
// bit-exact to PIL on the same 8-bit pixels; for MNIST the grey level in [0, 1]. Whoever decoded
// the image (pngjs and jpeg-js in the command, the browser's decoder in the web page) hands it
// over as RGBA, so both clients feed the model the same numbers from the same pixels.
import { InputError } from './errors.js';
import { centerCrop, type Plane, resizeBilinear, shorterSideSize } from './resample.js';

/** How a model wants its image: channels, size and per-channel normalisation. */
export interface InputSpec {
  readonly shape: readonly number[];
  /** 'mnist': grey, pixels in [0, 1]; otherwise RGB normalised by mean and std. */
  readonly kind: 'mnist' | 'rgb';
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
  /**
   * Images: resize the shorter side to this many pixels, then centre-crop to the input's
   * H × W (torchvision's ImageNet evaluation transform); absent: resize straight to H × W.
   */
  readonly resize?: number;
}

/** A decoded image: width × height pixels, 4 bytes each (R, G, B, A), row-major. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: ArrayLike<number>;
}

/** The R, G and B planes of an image (alpha dropped, as PIL's convert('RGB')). */
function rgbPlanes({ width, height, data }: RgbaImage): Plane[] {
  return [0, 1, 2].map((c) => ({
    width,
    height,
    data: Uint8Array.from({ length: width * height }, (_, i) => data[i * 4 + c]!),
  }));
}

/**
 * The model's H × W view of an image: with `resize`, torchvision's Resize(resize) (shorter
 * side) then CenterCrop(H, W); without, a direct resize to W × H.
 */
function fitImage(plane: Plane, spec: InputSpec, width: number, height: number): Plane {
  if (spec.resize === undefined) return resizeBilinear(plane, width, height);
  const scaled = shorterSideSize(plane.width, plane.height, spec.resize);
  if (scaled.width < width || scaled.height < height)
    throw new InputError(
      'INPUT_KIND',
      `the model card asks to resize to ${spec.resize} and crop ${width}x${height}, which does not fit`,
    );
  return centerCrop(resizeBilinear(plane, scaled.width, scaled.height), width, height);
}

/** The model's input (shape `spec.shape`, [1, C, H, W]) made from a decoded image. */
export function preprocessImage(image: RgbaImage, spec: InputSpec): Float32Array {
  const [, c, h, w] = spec.shape as [number, number, number, number];
  const [r, g, b] = rgbPlanes(image).map((p) => fitImage(p, spec, w, h).data) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  // MNIST digits: the luma of the RGB channels in [0, 1] (white on black).
  if (spec.kind === 'mnist')
    return Float32Array.from(r, (v, i) => (0.299 * v + 0.587 * g[i]! + 0.114 * b[i]!) / 255);
  const out = new Float32Array(c * h * w);
  [r, g, b].slice(0, c).forEach((plane, k) => {
    const mean = spec.mean?.[k] ?? 0;
    const std = spec.std?.[k] ?? 1;
    for (let i = 0; i < plane.length; i++) out[k * h * w + i] = (plane[i]! / 255 - mean) / std;
  });
  return out;
}
