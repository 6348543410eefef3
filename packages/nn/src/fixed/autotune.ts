// Bit-width and scale autotuning on a validation set (CrypTFlow2 §6.2): the protocols are
// exact, so ℓ only has to hold the values, and every bit of ℓ costs time and bytes in every
// layer. The tuner picks the smallest ℓ, then the largest s, at which the cleartext
// fixed-point model predicts what the float model predicts on (nearly) every validation input
// with no value leaving the range ℓ holds.
//
// Why it is fast: the integers a fixed-point run computes depend on s only — ℓ enters only
// through the range checks. So each scale is compiled once and run once over the validation
// set (at ℓ = 64, recording every step's largest |value|), and every ℓ is then judged from
// those maxima with the executor's own limits, with no further run.
import { FixedPointError } from '../errors.js';
import { runFloat } from '../float-executor.js';
import type { FloatArray } from '../tensor.js';
import type { ValidatedGraph } from '../validate.js';
import { compileFixedPoint } from './compile.js';
import { fixedPointLimit, runFixedPoint } from './executor.js';
import type { FixedModel, FixedProgram } from './program.js';

/** Options of `autotuneFixedPoint`. */
export interface AutotuneOptions {
  /**
   * The bit widths ℓ the secure backend supports (default every ℓ in 2..64; the HE field
   * backend holds only 32 and 37). Tried in ascending order.
   */
  readonly bitWidths?: readonly number[];
  /** Fraction of validation inputs whose prediction may differ from the float model's (default 0). */
  readonly tolerance?: number;
  /** Bits of headroom every value must keep below ℓ's range on the validation inputs (default 1). */
  readonly marginBits?: number;
  /** Smallest scale tried (default 0). */
  readonly minScale?: number;
  /** True class of each validation input (batch 1), for the top-1 column. */
  readonly labels?: readonly number[];
  /** A declared public bound on |w| (FixedPointParams.weightBound) the chosen model carries. */
  readonly weightBound?: number;
}

/** The headroom of one layer at one (ℓ, s): log2 of ℓ's range over what the layer needs. */
export interface LayerMargin {
  readonly node: string;
  /** Largest |value| of the layer over the validation set, at scale s. */
  readonly maxAbs: number;
  /** Bits between that value (doubled where a maximum compares differences) and ℓ's range. */
  readonly marginBits: number;
}

/** One (ℓ, s) the tuner judged. */
export interface AutotuneRow {
  readonly ell: number;
  readonly scale: number;
  /** The layer that leaves ℓ's range (with the margin), and why; absent when everything fits. */
  readonly overflow?: { readonly node: string; readonly reason: string };
  /** Fraction of validation inputs predicted as the float model predicts them (absent if the scale cannot run). */
  readonly agreement?: number;
  /** Fraction predicted correctly, when labels were given. */
  readonly top1?: number;
  /** Per layer, in program order (absent if the scale cannot run). */
  readonly layers?: readonly LayerMargin[];
  /** Whether this row meets every condition. */
  readonly accepted: boolean;
}

/** The tuner's choice, the model compiled at it, and every row it tried. */
export interface Autotune {
  readonly ell: number;
  readonly scale: number;
  readonly model: FixedModel;
  /** Float model's top-1 on the validation inputs, when labels were given. */
  readonly floatTop1?: number;
  /** Rows in the order tried: ℓ ascending, and for each ℓ, s descending. */
  readonly table: readonly AutotuneRow[];
  readonly validationSize: number;
}

/** What one scale's run over the validation set leaves: per step, the largest |value| it needs held. */
interface ScaleRun {
  /** Set when the scale cannot run even at ℓ = 64 (a value beyond 64 bits or 2^53 exactness). */
  readonly failure?: FixedPointError;
  /** Per program step: its node, the largest |value| it needs held, and whether it compares differences. */
  readonly needs: { node: string; maxAbs: number; compared: boolean }[];
  readonly inputMaxAbs: number;
  readonly agreeing: number;
  readonly correct: number;
}

const WIDEST = 64;

/**
 * Index of the largest entry of each row of `data` viewed as [rows, width], or −1 where the
 * largest is tied: a scale so coarse that outputs collapse to equal values predicts nothing,
 * even when the first index happens to be the float model's class.
 */
function rowArgmax(data: ArrayLike<number>, width: number): number[] {
  const out: number[] = [];
  for (let r = 0; r * width < data.length; r++) {
    let best = 0;
    let tied = false;
    for (let i = 1; i < width; i++) {
      const v = data[r * width + i]!;
      const top = data[r * width + best]!;
      if (v > top) [best, tied] = [i, false];
      else if (v === top) tied = true;
    }
    out.push(tied ? -1 : best);
  }
  return out;
}

/** The predicted class(es) of an output: its values if an argmax made it, else the argmax of its last axis. */
function predictions(program: FixedProgram, data: ArrayLike<number>): number[] {
  const output = program.outputs[0]!;
  const madeByArgmax = program.steps.some((s) => s.kind === 'argmax' && s.output === output.name);
  if (madeByArgmax) return Array.from(data);
  return rowArgmax(data, output.shape[output.shape.length - 1] ?? data.length);
}

function sameClasses(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function maxAbsQuantised(inputs: Readonly<Record<string, FloatArray>>, scale: number): number {
  let m = 0;
  for (const data of Object.values(inputs))
    for (let i = 0; i < data.length; i++)
      m = Math.max(m, Math.abs(Math.round(data[i]! * 2 ** scale)));
  return m;
}

/**
 * Chooses ℓ and s on a validation set: for ℓ in `bitWidths` ascending (from the smallest that
 * holds the inputs at `minScale`) and s from ⌊(ℓ − 2)/2⌋ down to `minScale`, the first (ℓ, s)
 * whose cleartext fixed-point predictions agree with the float model's on all but a
 * `tolerance` fraction of the inputs with every value `marginBits` inside ℓ's range. Returns
 * it, the model compiled at it and the table of rows tried. Throws a FixedPointError naming
 * the layer when even ℓ = 64 cannot hold the model, or saying the best agreement reached when
 * no (ℓ, s) agrees.
 */
export function autotuneFixedPoint(
  graph: ValidatedGraph,
  validation: readonly Readonly<Record<string, FloatArray>>[],
  options: AutotuneOptions = {},
): Autotune {
  const { tolerance = 0, marginBits = 1, minScale = 0, labels } = options;
  if (validation.length === 0) throw new FixedPointError('(model)', 'no validation inputs given');
  if (labels && labels.length !== validation.length)
    throw new FixedPointError(
      '(model)',
      `${labels.length} labels for ${validation.length} validation inputs`,
    );
  if (!(tolerance >= 0 && tolerance < 1))
    throw new FixedPointError('(model)', `tolerance must be in [0, 1), got ${tolerance}`);
  const bitWidths = [
    ...new Set(options.bitWidths ?? Array.from({ length: WIDEST - 1 }, (_, i) => i + 2)),
  ].sort((a, b) => a - b);
  for (const ell of bitWidths)
    if (!Number.isInteger(ell) || ell < 2 || ell > WIDEST)
      throw new FixedPointError('(model)', `bit width ℓ must be an integer in 2..64, got ${ell}`);

  const floatClasses = validation.map((inputs) => {
    const out = runFloat(graph, inputs)[graph.graph.outputs[0]!]!;
    return out.data;
  });
  const runs = new Map<number, ScaleRun>();
  const runScale = (scale: number): ScaleRun => {
    const cached = runs.get(scale);
    if (cached) return cached;
    const model = compileFixedPoint(graph, { ell: WIDEST, scale });
    const { program } = model;
    const needs = program.steps.map((s) => ({ node: s.node, maxAbs: 0, compared: false }));
    const stepOf = new Map(program.steps.map((s, i) => [s.output, i]));
    let inputMaxAbs = 0;
    let agreeing = 0;
    let correct = 0;
    let failure: FixedPointError | undefined;
    try {
      validation.forEach((inputs, k) => {
        inputMaxAbs = Math.max(inputMaxAbs, maxAbsQuantised(inputs, scale));
        const ranges: { step: string; node: string; maxAbs: number }[] = [];
        const out = runFixedPoint(model, inputs, { ranges })[program.outputs[0]!.name]!;
        ranges.forEach((r, i) => {
          needs[i]!.maxAbs = Math.max(needs[i]!.maxAbs, r.maxAbs);
        });
        const fixed = predictions(program, out);
        const float = predictions(program, floatClasses[k]!);
        agreeing += Number(sameClasses(fixed, float));
        correct += Number(labels !== undefined && fixed[0] === labels[k]);
      });
    } catch (e) {
      if (!(e instanceof FixedPointError)) throw e;
      failure = e;
    }
    // A maximum (maxpool, argmax) compares differences of its inputs: they must fit in half
    // the range, which is the same as the producing step needing twice its values held.
    program.steps.forEach((s, i) => {
      if (s.kind !== 'maxpool' && s.kind !== 'argmax') return;
      const from = stepOf.get(s.inputs[0]!);
      const value = from === undefined ? inputMaxAbs : needs[from]!.maxAbs;
      needs[i] = { node: s.node, maxAbs: value, compared: true };
    });
    const run = { failure, needs, inputMaxAbs, agreeing, correct };
    runs.set(scale, run);
    return run;
  };

  const table: AutotuneRow[] = [];
  const judge = (ell: number, scale: number): AutotuneRow => {
    const run = runScale(scale);
    if (run.failure)
      return {
        ell,
        scale,
        overflow: { node: run.failure.node, reason: run.failure.reason },
        accepted: false,
      };
    const full = fixedPointLimit(ell);
    const limit = Math.floor(full / 2 ** marginBits);
    const layers = new Map<string, LayerMargin>();
    let overflow: AutotuneRow['overflow'];
    if (run.inputMaxAbs > full)
      overflow = { node: '(input)', reason: `inputs reach ${run.inputMaxAbs} at scale ${scale}` };
    for (const need of run.needs) {
      const bound = need.compared ? Math.floor(limit / 2) : limit;
      const needed = need.compared ? 2 * need.maxAbs : need.maxAbs;
      const marginBitsHere = needed === 0 ? Infinity : Math.log2(full / needed);
      const before = layers.get(need.node);
      if (!before || marginBitsHere < before.marginBits)
        layers.set(need.node, { node: need.node, maxAbs: need.maxAbs, marginBits: marginBitsHere });
      if (!overflow && need.maxAbs > bound)
        overflow = {
          node: need.node,
          reason: `a value reaches 2^${Math.log2(need.maxAbs).toFixed(2)}${need.compared ? ' (compared: doubled)' : ''}, beyond ℓ = ${ell} with ${marginBits} bit(s) of margin`,
        };
    }
    const n = validation.length;
    const agreement = run.agreeing / n;
    return {
      ell,
      scale,
      ...(overflow ? { overflow } : {}),
      agreement,
      ...(labels ? { top1: run.correct / n } : {}),
      layers: [...layers.values()],
      accepted: !overflow && run.agreeing >= Math.ceil((1 - tolerance) * n - 1e-9),
    };
  };

  const startingInputs = Math.max(...validation.map((v) => maxAbsQuantised(v, minScale)));
  for (const ell of bitWidths) {
    if (2 * minScale + 1 >= ell || startingInputs > fixedPointLimit(ell)) continue;
    for (let scale = Math.floor((ell - 2) / 2); scale >= minScale; scale--) {
      const row = judge(ell, scale);
      table.push(row);
      if (row.accepted) {
        const model = compileFixedPoint(graph, { ell, scale, weightBound: options.weightBound });
        const floatTop1 = labels
          ? floatClasses.filter((out, k) => predictions(model.program, out)[0] === labels[k])
              .length / validation.length
          : undefined;
        return {
          ell,
          scale,
          model,
          ...(floatTop1 !== undefined ? { floatTop1 } : {}),
          table,
          validationSize: validation.length,
        };
      }
    }
  }
  throw noChoice(table, bitWidths, tolerance);
}

/** The error when no row was accepted: the layer at fault if nothing fits, else the best agreement. */
function noChoice(
  table: readonly AutotuneRow[],
  bitWidths: readonly number[],
  tolerance: number,
): FixedPointError {
  const fitting = table.filter((r) => !r.overflow);
  if (fitting.length === 0) {
    // The last row tried is the widest ℓ at the smallest scale: the most room there is.
    const last = table[table.length - 1];
    return new FixedPointError(
      last?.overflow?.node ?? '(model)',
      last
        ? `does not fit any bit width up to ℓ = ${last.ell} at any scale down to ${last.scale}: ${last.overflow?.reason}. Rescale this layer's weights`
        : `no bit width in ${bitWidths.join(', ')} holds the inputs`,
    );
  }
  const best = fitting.reduce((a, b) => ((b.agreement ?? 0) > (a.agreement ?? 0) ? b : a));
  return new FixedPointError(
    '(model)',
    `no (ℓ, s) agrees with the float model on ${((1 - tolerance) * 100).toFixed(1)} % of the validation inputs; the best is ${((best.agreement ?? 0) * 100).toFixed(1)} % at ℓ = ${best.ell}, s = ${best.scale}: raise the tolerance or widen the bit widths`,
  );
}
