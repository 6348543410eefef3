// `secinfer tune` and `--tune`: choose ℓ and s on a validation set (the smallest ℓ the backend
// runs, then the largest s, at which fixed point predicts what float does), print the table
// tried and the choice. The chosen ℓ and s are public: the session reveals them anyway.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  type Autotune,
  autotuneFixedPoint,
  type Backend,
  backendBitWidths,
  mnistDigit,
} from '@secinfer/nn';
import { CliError } from './errors.js';
import { loadInput } from './inputs.js';
import { type LoadedModel, loadModel, seededInputs } from './models.js';
import { printJson } from './output.js';

/** Validation inputs, their labels when known, and where they came from. */
interface Validation {
  readonly inputs: Float32Array[];
  readonly labels?: number[];
  readonly source: string;
}

const SYNTHETIC_COUNT = 4;

/**
 * `--validation`: 'mnist' (the ten embedded held-out digits), a directory of inputs (.npy,
 * .png, .jpg; a file name starting with digits then a non-digit gives its label), or, when
 * absent, the ten digits for MNIST and seeded synthetic inputs for any other model.
 */
function validationOf(spec: string | undefined, m: LoadedModel): Validation {
  if (spec === 'mnist' || (spec === undefined && m.id === 'mnist')) {
    if (m.input.kind !== 'mnist')
      throw new CliError('USAGE', '--validation mnist is for MNIST-shaped models');
    const labels = Array.from({ length: 10 }, (_, d) => d);
    return {
      inputs: labels.map(mnistDigit),
      labels,
      source: 'the 10 embedded held-out MNIST digits',
    };
  }
  if (spec === undefined)
    return {
      inputs: seededInputs(m.input.shape, SYNTHETIC_COUNT),
      source: `${SYNTHETIC_COUNT} synthetic seeded inputs (this model has no validation data: agreement with float on them, not accuracy)`,
    };
  let files: string[];
  try {
    files = readdirSync(spec)
      .filter((f) => /\.(npy|png|jpe?g)$/i.test(f))
      .sort()
      .map((f) => join(spec, f))
      .filter((f) => statSync(f).isFile());
  } catch (e) {
    throw new CliError(
      'INPUT_UNREADABLE',
      `--validation ${spec}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; pass a directory of .npy/.png/.jpg inputs or 'mnist'`,
    );
  }
  if (files.length === 0)
    throw new CliError('INPUT_UNREADABLE', `--validation ${spec}: no .npy/.png/.jpg inputs in it`);
  const labels = files.map((f) => /^(\d+)[^\d]/.exec(f.slice(spec.length + 1))?.[1]);
  return {
    inputs: files.map((f) => loadInput(f, m.input).data),
    labels: labels.every((l) => l !== undefined) ? labels.map(Number) : undefined,
    source: `${files.length} inputs from ${spec}`,
  };
}

/** Tunes `m` for `backend` on `--validation`; returns the tuning and the validation's description. */
export function tune(
  m: LoadedModel,
  backend: Backend,
  validation: string | undefined,
): { tuned: Autotune; source: string } {
  const v = validationOf(validation, m);
  const name = m.model.program.inputs[0]!.name;
  const tuned = autotuneFixedPoint(
    m.graph,
    v.inputs.map((x) => ({ [name]: x })),
    { bitWidths: backendBitWidths(backend), labels: v.labels, weightBound: m.weightBound },
  );
  return { tuned, source: v.source };
}

/** `m` recompiled at the (ℓ, s) tuned for `backend`. */
export function tunedModel(
  m: LoadedModel,
  backend: Backend,
  validation: string | undefined,
): LoadedModel {
  return { ...m, model: tune(m, backend, validation).tuned.model };
}

const percent = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(2)} %`);

/** `secinfer tune --model M [--backend ot|he] [--validation DIR|mnist] [--json]`. */
export function tuneCommand(
  spec: string,
  backend: Backend,
  validation: string | undefined,
  json: boolean,
): void {
  const m = loadModel(spec, { backend });
  const { tuned, source } = tune(m, backend, validation);
  const chosen = tuned.table[tuned.table.length - 1]!;
  if (json) {
    printJson({
      model: m.id,
      weights: m.weights,
      backend,
      validation: { source, size: tuned.validationSize },
      choice: {
        ell: tuned.ell,
        scale: tuned.scale,
        agreement: chosen.agreement,
        top1: chosen.top1,
        floatTop1: tuned.floatTop1,
      },
      table: tuned.table,
    });
    return;
  }
  console.log(`secinfer tune: ${m.title} [${m.weights} weights], backend ${backend}`);
  console.log(`validation: ${source}`);
  console.log(
    `${'ℓ'.padStart(3)} ${'s'.padStart(3)}  ${'agreement'.padStart(9)}  ${'top-1'.padStart(8)}  tightest layer (margin bits) / overflow`,
  );
  for (const r of tuned.table) {
    const tightest = r.layers?.reduce((a, b) => (b.marginBits < a.marginBits ? b : a));
    const note = r.overflow
      ? `overflow at ${r.overflow.node}`
      : tightest
        ? `${tightest.node} (${tightest.marginBits.toFixed(2)})`
        : '';
    console.log(
      `${String(r.ell).padStart(3)} ${String(r.scale).padStart(3)}  ${percent(r.agreement).padStart(9)}  ${percent(r.top1).padStart(8)}  ${note}${r.accepted ? '  ← chosen' : ''}`,
    );
  }
  console.log(
    `choice: ℓ = ${tuned.ell}, s = ${tuned.scale}: agrees with float on ${percent(chosen.agreement)} of ${tuned.validationSize} inputs${chosen.top1 === undefined ? '' : `, top-1 ${percent(chosen.top1)} (float ${percent(tuned.floatTop1)})`}`,
  );
}
