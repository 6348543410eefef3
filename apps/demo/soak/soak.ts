// The soak: one real `secinfer server` (a child process, MNIST, offering ot and he) serves
// many back-to-back sessions, first one client at a time and then `concurrency` at once. Every
// answer must equal the cleartext fixed-point answer bit for bit, and the server's RSS and
// WebAssembly heap must stay flat (see leak.ts). The clients run in this process: the server
// is what is soaked, and 200 client processes would only measure process start-up.
import { type Backend, runFixedPoint } from '@secinfer/nn';
import { connect } from '@secinfer/transport';
import { describeError } from '../src/describe-error.js';
import { loadInput } from '../src/inputs.js';
import { type LoadedModel, loadModel } from '../src/models.js';
import { requestOne } from '../src/parties.js';
import { checkLeak, type LeakVerdict, type MemorySample } from './leak.js';
import { type ServerProcess, startServer } from './server-process.js';

export interface SoakOptions {
  /** MNIST sessions on backend ot per phase. */
  readonly sessions: number;
  /** MNIST sessions on backend he per phase, spread among the ot ones. */
  readonly heSessions: number;
  /** Clients at once in the second phase. */
  readonly concurrency: number;
  /** Sessions that warm the server up before the leak check's baseline. */
  readonly warmup?: number;
}

/** One phase's outcome. */
export interface PhaseResult {
  readonly name: string;
  readonly concurrency: number;
  readonly sessions: Record<'ot' | 'he', number>;
  readonly seconds: number;
  /** Mean seconds of one session, as its client saw it, per backend. */
  readonly meanSessionSeconds: Record<'ot' | 'he', number>;
  /** Sessions whose logits equal the cleartext ones bit for bit. */
  readonly exact: number;
  /** Sessions that failed or answered wrong: what happened, per session. */
  readonly failures: readonly string[];
  readonly samples: readonly MemorySample[];
  readonly leak: LeakVerdict;
}

export interface SoakResult {
  readonly serverPid: number;
  readonly phases: readonly PhaseResult[];
  /** Every answer exact, no failure, and every checked phase flat. */
  readonly ok: boolean;
}

/** What the soak reports while it runs. */
export interface SoakProgress {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
  readonly seconds: number;
  readonly failures: number;
  readonly sample?: MemorySample;
}

/**
 * The order of one phase's sessions: `he` he sessions spread evenly among `ot` ot sessions,
 * the very first session an he one, so the warm-up already loads both backends' kernels.
 */
export function sessionPlan(ot: number, he: number): Backend[] {
  const total = ot + he;
  const plan: Backend[] = Array.from({ length: total }, () => 'ot');
  for (let k = 0; k < he; k++) plan[Math.floor((k * total) / he)] = 'he';
  return plan;
}

/** The cleartext fixed-point logits of each embedded digit, as the client reads them. */
function references(model: LoadedModel): Float64Array[] {
  const { program } = model.model;
  return Array.from({ length: 10 }, (_, digit) => {
    const pixels = loadInput(`digit:${digit}`, model.input).data;
    const out = runFixedPoint(model.model, { [program.inputs[0]!.name]: pixels });
    return out[program.outputs[0]!.name]!.map((v) => v / 2 ** program.scale);
  });
}

function sameLogits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function runPhase(
  server: ServerProcess,
  name: string,
  plan: readonly Backend[],
  concurrency: number,
  models: ReadonlyMap<Backend, LoadedModel>,
  expectedLogits: ReadonlyMap<Backend, Float64Array[]>,
  warmup: number,
  onProgress: (p: SoakProgress) => void,
): Promise<PhaseResult> {
  const firstSample = server.samples.length;
  const start = performance.now();
  const seconds: Record<'ot' | 'he', number[]> = { ot: [], he: [] };
  const failures: string[] = [];
  let exact = 0;
  let next = 0;
  let done = 0;
  const one = async (i: number) => {
    const backend = plan[i]!;
    const digit = i % 10;
    const began = performance.now();
    try {
      const channel = await connect({ host: '127.0.0.1', port: server.port });
      const answer = await requestOne(channel, `digit:${digit}`, {
        backend,
        expected: () => models.get(backend)!.model.program,
      });
      await channel.close();
      if (sameLogits(answer.logits, expectedLogits.get(backend)![digit]!)) exact++;
      else
        failures.push(
          `session ${i + 1} (${backend}, digit ${digit}): logits differ from cleartext`,
        );
    } catch (e) {
      const { code, message } = describeError(e);
      failures.push(`session ${i + 1} (${backend}, digit ${digit}): [${code}] ${message}`);
    }
    seconds[backend === 'he' ? 'he' : 'ot'].push((performance.now() - began) / 1000);
    done++;
    onProgress({
      phase: name,
      done,
      total: plan.length,
      seconds: (performance.now() - start) / 1000,
      failures: failures.length,
      sample: server.samples[server.samples.length - 1],
    });
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, plan.length) }, async () => {
      while (next < plan.length) await one(next++);
    }),
  );
  // Each session's reading is printed once the server has finished it, after its client.
  await server.samplesReach(firstSample + plan.length);
  const samples = server.samples.slice(firstSample);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    name,
    concurrency,
    sessions: { ot: seconds.ot.length, he: seconds.he.length },
    seconds: (performance.now() - start) / 1000,
    meanSessionSeconds: { ot: mean(seconds.ot), he: mean(seconds.he) },
    exact,
    failures,
    samples,
    leak: checkLeak(samples, { warmup }),
  };
}

/** Runs the soak: starts the server, runs both phases, stops the server. */
export async function runSoak(
  options: SoakOptions,
  onProgress: (p: SoakProgress) => void = () => {},
): Promise<SoakResult> {
  const { sessions, heSessions, concurrency, warmup = 10 } = options;
  const backends: Backend[] = ['ot', 'he'];
  const models = new Map(backends.map((b) => [b, loadModel('mnist', { backend: b })]));
  const expectedLogits = new Map(backends.map((b) => [b, references(models.get(b)!)]));
  const server = await startServer([
    '--backend',
    backends.join(','),
    '--concurrency',
    String(concurrency),
    // All clients come from 127.0.0.1: the per-address limit must admit them all, and a
    // client's next connection may arrive before the server has seen its last one close.
    '--per-address',
    String(2 * concurrency),
  ]);
  try {
    const plan = sessionPlan(sessions, heSessions);
    const phases = [
      await runPhase(server, 'sequential', plan, 1, models, expectedLogits, warmup, onProgress),
      await runPhase(
        server,
        `concurrent ×${concurrency}`,
        plan,
        concurrency,
        models,
        expectedLogits,
        warmup,
        onProgress,
      ),
    ];
    const ok = phases.every((p) => p.failures.length === 0 && (!p.leak.checked || p.leak.ok));
    return { serverPid: server.pid, phases, ok };
  } finally {
    await server.stop();
  }
}
