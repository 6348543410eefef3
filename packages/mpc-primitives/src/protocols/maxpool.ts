/**
 * Maxpool (CrypTFlow2 §4 via its ReLU building blocks): the maximum of every k_h × k_w window
 * of a C × H × W tensor of shares, with stride and padding as in the networks (padding never
 * wins: a border window repeats one of its own elements instead, which leaves its maximum
 * unchanged and gives every window the same size, so all windows go through one tree).
 *
 * Overlapping windows (3×3 stride 2 in SqueezeNet, ResNet50, DenseNet) are cheaper separably:
 * the max of each horizontal run of k_w in every input row, then the max of each vertical run
 * of k_h of those — about 25 % fewer comparisons for 3×3/s2, and the same maxima exactly.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { ring } from '../ring.js';
import { windowOutputSize } from '../shapes.js';
import { column, maxPairs } from './max.js';

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
    windowOutputSize(shape.height, kh, sh, pt, pb),
    windowOutputSize(shape.width, kw, sw, pl, pr),
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

/**
 * One pass of a plan: window after window, the `size` positions (in the pass's input) of each
 * window's elements, as windowIndices lists them. Its output is one maximum per window.
 */
export interface PoolPass {
  indices: Int32Array;
  size: number;
}

/** The direct evaluation: every k_h × k_w window through one tree of k_h·k_w − 1 comparisons. */
export function directPlan(shape: PoolShape): PoolPass[] {
  return [{ indices: windowIndices(shape), size: shape.kernel[0] * shape.kernel[1] }];
}

/**
 * The separable evaluation: a 1 × k_w pool of every input row (the horizontal stride and
 * padding), then a k_h × 1 pool of those row maxima (the vertical ones). The max of the row
 * maxima is the window's max, and a padded row or column is still a copy of a real one.
 */
export function separablePlan(shape: PoolShape): PoolPass[] {
  const [, outW] = poolOutputSize(shape);
  const [kh, kw] = shape.kernel;
  const [sh, sw] = shape.stride;
  const [pt, pl, pb, pr] = shape.padding ?? [0, 0, 0, 0];
  const rows = windowIndices({
    ...shape,
    kernel: [1, kw],
    stride: [1, sw],
    padding: [0, pl, 0, pr],
  });
  const columns = windowIndices({
    ...shape,
    width: outW,
    kernel: [kh, 1],
    stride: [sh, 1],
    padding: [pt, 0, pb, 0],
  });
  return withoutUnread({ indices: rows, size: kw }, { indices: columns, size: kh });
}

/**
 * Drops the windows of `first` whose maxima `second` never reads (input rows no pool window
 * touches: below the last window, or between windows when the stride exceeds the window) and
 * renumbers `second` to match, so that no comparison is spent on them.
 */
function withoutUnread(first: PoolPass, second: PoolPass): PoolPass[] {
  const windows = first.indices.length / first.size;
  const read = new Uint8Array(windows);
  for (const i of second.indices) read[i] = 1;
  const renumbered = new Int32Array(windows);
  const kept: number[] = [];
  for (let w = 0; w < windows; w++) {
    if (read[w] === 1) {
      renumbered[w] = kept.length;
      kept.push(w);
    }
  }
  const indices = new Int32Array(kept.length * first.size);
  kept.forEach((w, k) => {
    indices.set(first.indices.subarray(w * first.size, (w + 1) * first.size), k * first.size);
  });
  return [
    { indices, size: first.size },
    { indices: second.indices.map((i) => renumbered[i]!), size: second.size },
  ];
}

/** Secure comparisons (DReLU + MUX pairs) a plan costs: size − 1 per window of each pass. */
export function comparisons(plan: PoolPass[]): number {
  return plan.reduce((sum, pass) => sum + (pass.indices.length / pass.size) * (pass.size - 1), 0);
}

/**
 * The plan maxpool runs: separable when it needs fewer comparisons, else direct (on a tie the
 * direct tree, which never has more rounds). Separable costs H'·outW·(k_w − 1) for the rows
 * and saves outH·outW·k_h·(k_w − 1), so it wins when k_w > 1 and H' < outH·k_h: the windows'
 * rows overlap or reach into padding. Public shape only, so both parties agree.
 */
export function maxpoolPlan(shape: PoolShape): PoolPass[] {
  const [outH, outW] = poolOutputSize(shape);
  const direct = shape.channels * outH * outW * (shape.kernel[0] * shape.kernel[1] - 1);
  const separable = separablePlan(shape);
  return comparisons(separable) < direct ? separable : directPlan(shape);
}

/** Shares of the window maxima, C × outH × outW, for shares of a C × H × W signed ℓ-bit input. */
export async function maxpool(
  ctx: PartyContext,
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
  return runPoolPlan(ctx, shares, maxpoolPlan(shape), ell);
}

/**
 * Runs the passes of a plan one after the other, each pass's maxima the next one's input.
 * Exported so that tests can pin a plan; both parties must run the same one.
 */
export async function runPoolPlan(
  ctx: PartyContext,
  shares: Uint32Array,
  plan: PoolPass[],
  ell: number,
): Promise<Uint32Array> {
  let values = shares;
  for (const pass of plan) {
    const matrix = gather(values, pass.indices, ring(ell).words);
    values = await rowMaxima(ctx, matrix, pass.size, ell);
  }
  return values;
}

/** The shares at `indices`, in that order (a rows × size matrix of windows). Pure. */
function gather(values: Uint32Array, indices: Int32Array, words: number): Uint32Array {
  const out = new Uint32Array(indices.length * words);
  for (let i = 0; i < indices.length; i++) {
    for (let w = 0; w < words; w++) out[i * words + w] = values[indices[i]! * words + w]!;
  }
  return out;
}

/** The maximum of every row of a rows × columns matrix of shares, all rows in one tree. */
async function rowMaxima(
  ctx: PartyContext,
  matrix: Uint32Array,
  columns: number,
  ell: number,
): Promise<Uint32Array> {
  const words = ring(ell).words;
  const windows = matrix.length / words / columns;
  // One tree level per round: pair columns (0,1), (2,3), ...; an odd last column moves up as is.
  while (columns > 1) {
    const pairs = Math.floor(columns / 2);
    const left = new Uint32Array(windows * pairs * words);
    const right = new Uint32Array(windows * pairs * words);
    for (let p = 0; p < pairs; p++) {
      left.set(column(matrix, windows, columns, 2 * p, ell), p * windows * words);
      right.set(column(matrix, windows, columns, 2 * p + 1, ell), p * windows * words);
    }
    const { max } = await maxPairs(ctx, left, right, ell);
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
