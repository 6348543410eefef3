// The browser decodes the image (PNG or JPEG) itself: createImageBitmap with no colour-space
// conversion and no premultiplied alpha (so an opaque PNG's 8-bit pixels reach the page as
// they are in the file, as PIL and pngjs read them), drawn on a canvas whose getImageData
// returns RGBA, the form the shared preprocessing takes.
import { InputError, type RgbaImage } from '@secinfer/demo/client';

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg']);

/** A canvas of width × height: an OffscreenCanvas where there is one, else a detached element. */
function canvas2d(width: number, height: number) {
  const canvas =
    typeof OffscreenCanvas === 'undefined'
      ? Object.assign(document.createElement('canvas'), { width, height })
      : new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true }) as
    | CanvasRenderingContext2D
    | OffscreenCanvasRenderingContext2D
    | null;
  if (!context)
    throw new InputError('IMAGE_CORRUPT', 'this browser gives no 2D canvas to decode on');
  return context;
}

/** Decoded pixels as the canvas gives them (also drawable back onto one). */
export interface DecodedImage extends RgbaImage {
  readonly data: Uint8ClampedArray<ArrayBuffer>;
}

/** The pixels of a PNG or JPEG file, RGBA. */
export async function decodeImageFile(file: File): Promise<DecodedImage> {
  if (!IMAGE_TYPES.has(file.type))
    throw new InputError(
      'INPUT_KIND',
      `${file.name} is ${file.type || 'of no known type'}: pick a PNG or JPEG image`,
    );
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch (e) {
    throw new InputError('IMAGE_CORRUPT', `cannot decode ${file.name}: ${(e as Error).message}`);
  }
  const { width, height } = bitmap;
  const context = canvas2d(width, height);
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width, height, data: context.getImageData(0, 0, width, height).data };
}
