/**
 * Maxpool (CrypTFlow2 §4 via its ReLU building blocks): the maximum of every k_h × k_w window
 * of a C × H × W tensor of shares, with stride and padding as in the networks (padding never
 * wins: a border window repeats one of its own elements instead, which leaves its maximum
 * unchanged and gives every window the same size, so all windows go through one tree).
 */
import type { Channel } from '@secinfer/transport';
import { ParameterError } from '../errors.js';
import type { Party } from '../party.js';
import { ring } from '../ring.js';
import { column, maxPairs } from './max.js';
import type { OtPort } from './ot-port.js';

export interface PoolShape {
  channels: number;
  height: number;
  width: number;
  kernel: [number, number];
  stride: [number, number];
  /** Zero-based padding [top, left, bottom, right]; default none. */
  padding?: [number, number, number, number];
}

/** Output height and width; throws when the window cannot fit. */
export function poolOutputSize(shape: PoolShape): [number, number] {
  const [kh, kw] = shape.kernel;
  const [sh, sw] = shape.stride;
  const [pt, pl, pb, pr] = shape.padding ?? [0, 0, 0, 0];
  const values = [shape.channels, shape.height, shape.width, kh, kw, sh, sw];
  if (
    values.some((v) => !Number.isInteger(v) || v < 1) ||
    [pt, pl, pb, pr].some((p) => !Number.isInteger(p) || p < 0)
  ) {
    throw new ParameterError(
      `pool: sizes must be positive integers and padding non-negative, got ${JSON.stringify(shape)}`,
    );
  }
  if (kh > shape.height + pt + pb || kw > shape.width + pl + pr) {
    throw new ParameterError(
      `pool: a ${kh}×${kw} window does not fit a ${shape.height}×${shape.width} input padded by ${pt},${pl},${pb},${pr}`,
    );
  }
  if (pt >= kh || pb >= kh || pl >= kw || pr >= kw)
    throw new ParameterError('pool: padding must be smaller than the window');
  return [
    Math.floor((shape.height + pt + pb - kh) / sh) + 1,
    Math.floor((shape.width + pl + pr - kw) / sw) + 1,
  ];
}

/**
 * For every output position, the input index of each of its k_h·k_w window elements, with a
 * padded position replaced by an in-window one. Pure; depends on the shape only.
 */
export function windowIndices(shape: PoolShape): Int32Array {
  const [outH, outW] = poolOutputSize(shape);
  const [kh, kw] = shape.kernel;
  const [sh, sw] = shape.stride;
  const [pt, pl] = shape.padding ?? [0, 0, 0, 0];
  const { channels, height, width } = shape;
  const indices = new Int32Array(channels * outH * outW * kh * kw);
  let at = 0;
  for (let c = 0; c < channels; c++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const top = oy * sh - pt;
        const left = ox * sw - pl;
        // A real element of this window, to stand in for the padded ones.
        const inY = Math.min(Math.max(top, 0), height - 1);
        const inX = Math.min(Math.max(left, 0), width - 1);
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const y = top + ky;
            const x = left + kx;
            const inside = y >= 0 && y < height && x >= 0 && x < width;
            indices[at++] = c * height * width + (inside ? y * width + x : inY * width + inX);
          }
        }
      }
    }
  }
  return indices;
}

/** Shares of the window maxima, C × outH × outW, for shares of a C × H × W signed ℓ-bit input. */
export async function maxpool(
  party: Party,
  channel: Channel,
  ot: OtPort,
  shares: Uint32Array,
  shape: PoolShape,
  ell: number,
): Promise<Uint32Array> {
  const words = ring(ell).words;
  if (shares.length !== shape.channels * shape.height * shape.width * words) {
    throw new ParameterError(
      `maxpool: expected ${shape.channels}×${shape.height}×${shape.width} values, got ${shares.length / words}`,
    );
  }
  const indices = windowIndices(shape);
  let columns = shape.kernel[0] * shape.kernel[1];
  const windows = indices.length / columns;
  let matrix = new Uint32Array(indices.length * words);
  for (let i = 0; i < indices.length; i++) {
    for (let w = 0; w < words; w++) matrix[i * words + w] = shares[indices[i]! * words + w]!;
  }
  // One tree level per round: pair columns (0,1), (2,3), ...; an odd last column moves up as is.
  while (columns > 1) {
    const pairs = Math.floor(columns / 2);
    const left = new Uint32Array(windows * pairs * words);
    const right = new Uint32Array(windows * pairs * words);
    for (let p = 0; p < pairs; p++) {
      left.set(column(matrix, windows, columns, 2 * p, ell), p * windows * words);
      right.set(column(matrix, windows, columns, 2 * p + 1, ell), p * windows * words);
    }
    const { max } = await maxPairs(party, channel, ot, left, right, ell);
    const next = Math.ceil(columns / 2);
    const nextMatrix = new Uint32Array(windows * next * words);
    for (let r = 0; r < windows; r++) {
      for (let p = 0; p < pairs; p++) {
        for (let w = 0; w < words; w++)
          nextMatrix[(r * next + p) * words + w] = max[(p * windows + r) * words + w]!;
      }
      if (columns % 2 === 1) {
        for (let w = 0; w < words; w++)
          nextMatrix[(r * next + pairs) * words + w] =
            matrix[(r * columns + columns - 1) * words + w]!;
      }
    }
    matrix = nextMatrix;
    columns = next;
  }
  return matrix;
}
