/**
 * Suite `networks`: one whole secure inference per op, as the demo runs it — handshake, OT
 * (and HE key) setup, every layer, the output opened to the client — between two processes.
 *   pnpm bench networks --model <id> --backend ot|he|he-field|auto [--ot iknp|silent] [--link lan|wan] [--threads T] [--json]
 * Ops: mnist (trained; without --ell at its shipped tuned ℓ and s), minionn, resnet32, squeezenet, resnet50, densenet121 (synthetic seeded
 * weights). The server compiles the model (scale autotuned on seeded inputs) before the timed
 * part. The client prints each step as it ends, then the per-layer table (layer, kind, seconds,
 * MiB, rounds; under `auto` the backend and predicted seconds of each linear layer), to stderr.
 * `auto` plans for the --link preset, or probes the link when there is none.
 * Paper (4 threads per party, LAN): SqueezeNet 44.3 s (OT) / 59.2 s (HE), ResNet50 619 / 546 s,
 * DenseNet121 371 / 463 s. Targets here (1 thread, 2 cores): squeezenet ot ≤ 60 s; resnet50 he
 * and densenet121 ot ≤ 600 s with peak RSS ≤ 8 GiB per party.
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import { seededRandom } from '@secinfer/transport';
import {
  type Backend,
  type BackendPlan,
  chooseScale,
  compileFixedPoint,
  type FixedModel,
  type FixedProgram,
  MNIST_FIXED_POINT,
  mnistCnn,
  mnistDigit,
  preloadBackend,
  requestInference,
  type StepEvent,
  serveInference,
  syntheticWeights,
  validateGraph,
  ZOO,
  type ZooId,
} from '../src/index.js';

/** Seeded inputs in [−1, 1): calibration for the server, the image for the client. */
function seededInput(shape: readonly number[], seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
}

function compile(id: string, ell: number | undefined, backend: Backend): FixedModel {
  if (id === 'mnist') {
    const graph = validateGraph(mnistCnn());
    // Without --ell, the (ℓ, s) the model ships, tuned on its held-out digits for this backend.
    if (ell === undefined) return compileFixedPoint(graph, MNIST_FIXED_POINT[backend]);
    const calibration = Array.from({ length: 10 }, (_, d) => ({ input: mnistDigit(d) }));
    return chooseScale(graph, calibration, { ell }).model;
  }
  const entry = ZOO[id as ZooId];
  const graph = validateGraph(entry.build(syntheticWeights(1)));
  const name = graph.graph.inputs[0]!.name;
  const calibration = [1, 2].map((seed) => ({ [name]: seededInput(entry.inputShape, seed) }));
  // The zoo's declared weight bound, as `secinfer run` compiles it.
  return chooseScale(graph, calibration, { ell: ell ?? entry.ell, weightBound: entry.weightBound })
    .model;
}

function clientInput(id: string, program: FixedProgram) {
  const input = program.inputs[0]!;
  return { [input.name]: id === 'mnist' ? mnistDigit(7) : seededInput(input.shape, 3) };
}

function layerTable(events: StepEvent[], plan: BackendPlan | undefined): string {
  const planned = new Map(plan?.layers.map((l) => [l.node, l]));
  const rows = new Map<string, { kind: string; seconds: number; bytes: number; rounds: number }>();
  for (const e of events) {
    const row = rows.get(e.node) ?? { kind: e.kind, seconds: 0, bytes: 0, rounds: 0 };
    row.seconds += e.seconds;
    row.bytes += e.bytesSent + e.bytesReceived;
    row.rounds += e.rounds;
    rows.set(e.node, row);
  }
  const choice = (layer: string) => {
    const l = planned.get(layer);
    return plan
      ? ` ${(l?.backend ?? '').padEnd(7)} ${(l?.predictedSeconds.toFixed(3) ?? '').padStart(9)}`
      : '';
  };
  const lines = [...rows].map(
    ([layer, r]) =>
      `${layer.padEnd(36)} ${r.kind.padEnd(13)}${choice(layer)} ${r.seconds.toFixed(3).padStart(9)} ${(r.bytes / 2 ** 20).toFixed(2).padStart(10)} ${String(r.rounds).padStart(7)}`,
  );
  const planHeader = plan ? ` ${'backend'.padEnd(7)} ${'predicted'.padStart(9)}` : '';
  return [
    `${'layer'.padEnd(36)} ${'kind'.padEnd(13)}${planHeader} ${'seconds'.padStart(9)} ${'MiB'.padStart(10)} ${'rounds'.padStart(7)}`,
    ...lines,
  ].join('\n');
}

function network(id: string) {
  return {
    name: id,
    threads: true,
    async run(ctx: OpContext): Promise<OpReport> {
      const backend: Backend = ctx.args.backend ?? 'ot';
      const link = ctx.args.link === 'none' ? undefined : ctx.args.link;
      const options = {
        backend,
        threads: ctx.args.threads,
        ot: ctx.args.ot ?? 'iknp',
        ...(link ? { link } : {}),
      } as const;
      // The HE package's import is a process's start-up, not a session's: done before timing.
      await preloadBackend(backend);
      if (ctx.role === 'server') {
        const model = compile(id, ctx.args.ell, backend);
        const report = await ctx.measure(() => serveInference(ctx.channel, model, options));
        return {
          n: 1,
          ell: model.program.ell,
          extra: {
            scale: model.program.scale,
            setupSeconds: Number(report.setupSeconds.toFixed(3)),
            setupMiB: Number((report.setupBytes / 2 ** 20).toFixed(2)),
          },
          labels: {
            ot: report.ot ?? '-',
            ...(report.plan ? { plan: report.plan.layers.map((l) => l.backend).join(' ') } : {}),
          },
        };
      }
      const events: StepEvent[] = [];
      const result = await ctx.measure(() =>
        requestInference(ctx.channel, (program) => clientInput(id, program), {
          ...options,
          onStep: (e) => {
            events.push(e);
            // Long runs (ResNet50, DenseNet121) show where they are as they go.
            const mib = (e.bytesSent + e.bytesReceived) / 2 ** 20;
            process.stderr.write(
              `  step ${e.index + 1}/${e.total} ${e.kind} ${e.step}: ${e.seconds.toFixed(2)} s, ${mib.toFixed(1)} MiB\n`,
            );
          },
        }),
      );
      process.stderr.write(
        `${id} / ${backend}: per layer (client side)\n${layerTable(events, result.report.plan)}\n`,
      );
      return { n: 1, ell: result.program.ell };
    },
  };
}

export default defineSuite({
  name: 'networks',
  ops: ['mnist', ...Object.keys(ZOO)].map(network),
});
