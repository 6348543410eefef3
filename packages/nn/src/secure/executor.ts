// The secure executor: walks a fixed-point program on additive shares, one step at a time, with
// the same step semantics as the cleartext oracle (fixed/executor.ts). Linear steps go to the
// backend's linear layers (OT or HE); everything else runs on the share domain's protocols or
// is local (addition, concatenation, reshapes, window sums). Both parties call it with their
// own shares; the server also passes the weights.
import { convOutputSize, SERVER } from '@secinfer/mpc-primitives';
import { FixedPointError } from '../errors.js';
import type {
  AffineStep,
  ConvStep,
  FixedProgram,
  FixedStep,
  GemmStep,
  StepWeights,
} from '../fixed/program.js';
import { addBroadcast, concat } from '../kernels/elementwise.js';
import type { PoolGeometry } from '../kernels/pool.js';
import { filledWindows, windowTable } from '../kernels/windows.js';
import { sizeOf } from '../tensor.js';
import type { PartyContext, ShareDomain, Shares } from './domain.js';

/** The backend's linear layers: products of shares with server-held integer weights. */
export interface LinearLayers<S extends Shares> {
  /** Conv without bias; `weight` (signed integers, [M, C, kH, kW]) on the server only. */
  conv(step: ConvStep, x: S, weight?: Float64Array): Promise<S>;
  /** [m, k] · weight[n, k]^T without bias; `weight` on the server only. */
  gemm(step: GemmStep, x: S, weight?: Float64Array): Promise<S>;
  /** Per-channel scale a[c] · x; `scale` on the server only. */
  affine(step: AffineStep, x: S, scale?: Float64Array): Promise<S>;
}

/** Cost and time of one executed step, for progress displays and per-layer tables. */
export interface StepEvent {
  readonly index: number;
  readonly total: number;
  readonly step: string;
  readonly node: string;
  readonly kind: FixedStep['kind'];
  readonly seconds: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly rounds: number;
}

/** Element i of `x` for each index (−1 gives zero), in the domain's word layout. */
function gather<S extends Shares>(d: ShareDomain<S>, x: S, indices: ArrayLike<number>): S {
  const w = d.words;
  const out = d.zeros(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    if (j < 0) continue;
    for (let k = 0; k < w; k++) out[i * w + k] = x[j * w + k]!;
  }
  return out;
}

function join<S extends Shares>(d: ShareDomain<S>, parts: readonly S[]): S {
  const out = d.zeros(parts.reduce((n, p) => n + p.length, 0) / d.words);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function slice<S extends Shares>(d: ShareDomain<S>, x: S, from: number, count: number): S {
  return x.subarray(from * d.words, (from + count) * d.words) as S;
}

/** 0, 1, …, n − 1 as float64 (index maps are built by running the float kernels on indices). */
function iota(n: number, offset = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i + offset;
  return out;
}

/** Adds a public per-channel vector (the server's bias) to the server's share. */
function addPerChannel<S extends Shares>(
  d: ShareDomain<S>,
  ctx: PartyContext,
  x: S,
  values: Float64Array | undefined,
  planes: number,
  inner: number,
): S {
  if (ctx.party !== SERVER || !values) return x;
  const expanded = new Float64Array(planes * inner);
  for (let p = 0; p < planes; p++)
    expanded.fill(values[p % values.length]!, p * inner, (p + 1) * inner);
  return d.add(x, d.fromSigned(expanded));
}

/** Max of every window (padding repeats a cell of its own window): one tree level per round. */
async function maxOverWindows<S extends Shares>(
  d: ShareDomain<S>,
  ctx: PartyContext,
  x: S,
  cells: Int32Array,
  windows: number,
  size: number,
): Promise<S> {
  let columns: S[] = [];
  for (let k = 0; k < size; k++) {
    const idx = new Int32Array(windows);
    for (let o = 0; o < windows; o++) idx[o] = cells[o * size + k]!;
    columns.push(gather(d, x, idx));
  }
  while (columns.length > 1) {
    const pairs = Math.floor(columns.length / 2);
    const left = join(
      d,
      columns.filter((_, i) => i % 2 === 0 && i < 2 * pairs),
    );
    const right = join(
      d,
      columns.filter((_, i) => i % 2 === 1),
    );
    const max = await d.max(ctx, left, right);
    const next: S[] = [];
    for (let p = 0; p < pairs; p++) next.push(slice(d, max, p * windows, windows));
    if (columns.length % 2 === 1) next.push(columns[columns.length - 1]!);
    columns = next;
  }
  return columns[0]!;
}

/**
 * The max of every window. Overlapping windows (3×3 stride 2) cost fewer comparisons
 * separably — the max of each row's horizontal windows, then of those maxima's vertical
 * windows — and give the same maxima: windows are clipped per axis, so a window's cells are
 * its rows' cells.
 */
async function maxPool<S extends Shares>(
  d: ShareDomain<S>,
  ctx: PartyContext,
  x: S,
  g: PoolGeometry,
): Promise<S> {
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [pt, pl, pb, pr] = g.pads;
  const pool = (input: S, geometry: PoolGeometry) => {
    const t = windowTable(geometry);
    return maxOverWindows(d, ctx, input, filledWindows(t), t.outputs, t.size);
  };
  const direct = g.oh * g.ow * (kh * kw - 1);
  const separable = g.h * g.ow * (kw - 1) + g.oh * g.ow * (kh - 1);
  if (separable >= direct) return pool(x, g);
  const rows = await pool(x, {
    ...g,
    oh: g.h,
    kernel: [1, kw],
    strides: [1, sw],
    pads: [0, pl, 0, pr],
  });
  return pool(rows, { ...g, w: g.ow, kernel: [kh, 1], strides: [sh, 1], pads: [pt, 0, pb, 0] });
}

/** ⌊sum / divisor⌋ per output, one division batch per distinct divisor. */
async function divideEach<S extends Shares>(
  d: ShareDomain<S>,
  ctx: PartyContext,
  sums: S,
  divisors: Int32Array,
): Promise<S> {
  const out = sums.slice() as S;
  for (const divisor of new Set(divisors)) {
    if (divisor === 1) continue;
    const positions: number[] = [];
    divisors.forEach((v, i) => {
      if (v === divisor) positions.push(i);
    });
    const quotients = await d.div(ctx, gather(d, sums, positions), divisor);
    positions.forEach((p, i) => {
      for (let k = 0; k < d.words; k++) out[p * d.words + k] = quotients[i * d.words + k]!;
    });
  }
  return out;
}

/** Sum over each window's cells (local). */
function windowSums<S extends Shares>(
  d: ShareDomain<S>,
  x: S,
  indices: Int32Array,
  windows: number,
  size: number,
): S {
  let sum = d.zeros(windows);
  for (let k = 0; k < size; k++) {
    const idx = new Int32Array(windows);
    for (let o = 0; o < windows; o++) idx[o] = indices[o * size + k]!;
    sum = d.add(sum, gather(d, x, idx));
  }
  return sum;
}

async function runStep<S extends Shares>(
  d: ShareDomain<S>,
  ctx: PartyContext,
  linear: LinearLayers<S>,
  step: FixedStep,
  xs: S[],
  w: StepWeights | undefined,
): Promise<S> {
  const x = xs[0]!;
  switch (step.kind) {
    case 'conv': {
      const { batch, outChannels } = step.geometry;
      const [oh, ow] = convOutputSize(step.geometry);
      const y = await linear.conv(step, x, w?.weight);
      return addPerChannel(d, ctx, y, w?.bias, batch * outChannels, oh * ow);
    }
    case 'gemm': {
      const y = await linear.gemm(step, x, w?.weight);
      return addPerChannel(d, ctx, y, w?.bias, step.m * step.n, 1);
    }
    case 'affine': {
      const y = await linear.affine(step, x, w?.weight);
      return addPerChannel(d, ctx, y, w?.bias, step.batch * step.channels, step.inner);
    }
    case 'trunc':
      return d.trunc(ctx, x, step.bits, step.nonNegative);
    case 'scaleup':
      return d.mulPublic(x, 2 ** step.bits);
    case 'relu':
      return d.relu(ctx, x);
    case 'maxpool':
      return maxPool(d, ctx, x, step.geometry);
    case 'avgpool': {
      const t = windowTable(step.geometry, step.countIncludePad);
      return divideEach(d, ctx, windowSums(d, x, t.indices, t.outputs, t.size), t.divisors);
    }
    case 'globalavgpool': {
      const { planes, planeSize } = step;
      const indices = iota(planes * planeSize);
      // Window o is plane o: slot k of window o is element o·planeSize + k.
      const sums = windowSums(d, x, Int32Array.from(indices), planes, planeSize);
      return divideEach(d, ctx, sums, new Int32Array(planes).fill(planeSize));
    }
    case 'add': {
      const [sa, sb] = step.shapes;
      const size = sizeOf(step.outShape);
      if (sizeOf(sa) === size && sizeOf(sb) === size) return d.add(x, xs[1]!);
      const zeros = (s: readonly number[]) => new Float64Array(sizeOf(s));
      const ia = addBroadcast(iota(sizeOf(sa)), sa, zeros(sb), sb, step.outShape);
      const ib = addBroadcast(zeros(sa), sa, iota(sizeOf(sb)), sb, step.outShape);
      return d.add(gather(d, x, ia), gather(d, xs[1]!, ib));
    }
    case 'concat': {
      let offset = 0;
      const maps = step.shapes.map((s) => {
        const m = iota(sizeOf(s), offset);
        offset += sizeOf(s);
        return m;
      });
      return gather(d, join(d, xs), concat(maps, step.shapes, step.axis, step.outShape));
    }
    case 'reshape':
      return x;
    case 'constant':
      return ctx.party === SERVER && w ? d.fromSigned(w.weight) : d.zeros(step.size);
    case 'argmax':
      throw new FixedPointError(
        step.node,
        'a secure ArgMax layer is not supported: end the model at its logits (the client takes their argmax)',
      );
  }
}

/**
 * Runs the program's steps on this party's input shares (by graph input name) and returns its
 * shares of every graph output. The server passes `weights`; the client passes none.
 */
export async function runSecureSteps<S extends Shares>(
  d: ShareDomain<S>,
  ctx: PartyContext,
  linear: LinearLayers<S>,
  program: FixedProgram,
  inputs: ReadonlyMap<string, S>,
  weights: ReadonlyMap<string, StepWeights> | undefined,
  onStep?: (event: StepEvent) => void,
): Promise<Map<string, S>> {
  const values = new Map<string, S>(inputs);
  const lastUse = new Map<string, number>();
  program.steps.forEach((step, i) => {
    for (const v of step.inputs) lastUse.set(v, i);
  });
  const keep = new Set(program.outputs.map((o) => o.name));
  const total = program.steps.length;
  for (const [index, step] of program.steps.entries()) {
    const before = ctx.channel.stats;
    const start = performance.now();
    const xs = step.inputs.map((v) => values.get(v)!);
    const out = await ctx.channel.phase(step.node, () =>
      runStep(d, ctx, linear, step, xs, weights?.get(step.name)),
    );
    values.set(step.output, out);
    for (const v of step.inputs) if (lastUse.get(v) === index && !keep.has(v)) values.delete(v);
    if (onStep) {
      const after = ctx.channel.stats;
      onStep({
        index,
        total,
        step: step.name,
        node: step.node,
        kind: step.kind,
        seconds: (performance.now() - start) / 1000,
        bytesSent: after.bytesSent - before.bytesSent,
        bytesReceived: after.bytesReceived - before.bytesReceived,
        rounds: after.rounds - before.rounds,
      });
    }
  }
  return new Map(program.outputs.map((o) => [o.name, values.get(o.name)!]));
}
