// Backend `auto`: each linear layer on OT or ring HE as the server's plan says. A mixed plan
// equals the cleartext fixed point bit for bit (MNIST, MiniONN); every linear layer's bytes
// equal the cost model's formula for the backend it ran on; both parties hold the server's
// plan, and a client insisting on another one fails the handshake on both sides.
import { HandshakeError, memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  type BackendPlan,
  chooseScale,
  compileFixedPoint,
  type FixedModel,
  type FloatArray,
  heLayerBytes,
  type LinearBackend,
  MNIST_FIXED_POINT,
  mnistCnn,
  mnistDigit,
  otLayerWork,
  planAuto,
  planDigest,
  requestInference,
  runFixedPoint,
  type SessionOptions,
  type StepEvent,
  serveInference,
  syntheticWeights,
  validateGraph,
  ZOO,
} from '../../src/index.js';
import { heCounter } from '../../src/secure/backends.js';
import { isLinearStep, type LinearStep } from '../../src/secure/cost-model.js';
import { loadHeLinear } from '../../src/secure/he-linear-loader.js';
import { randomArray } from '../helpers.js';

const mnist = compileFixedPoint(validateGraph(mnistCnn()), MNIST_FIXED_POINT.auto);
const minionnGraph = validateGraph(ZOO.minionn.build(syntheticWeights(1)));
const minionnInput = randomArray(3 * 32 * 32, 5);
const minionn = chooseScale(minionnGraph, [{ input: minionnInput }], { ell: 32 }).model;

const linearSteps = (model: FixedModel) => model.program.steps.filter(isLinearStep);

/** A plan that uses both: linear layer i on HE where `onHe(i)`, else on OT. */
const mixed = (model: FixedModel, onHe: (i: number) => boolean): Record<string, LinearBackend> =>
  Object.fromEntries(linearSteps(model).map((s, i) => [s.name, onHe(i) ? 'he' : 'ot']));
/** MNIST: its middle layer on HE. */
const alternating = (model: FixedModel) => mixed(model, (i) => i % 2 === 1);
/** MiniONN: the five large convolutions on HE, the last two and the FC layer on OT. */
const largeOnHe = (model: FixedModel) => mixed(model, (i) => i < 5);

async function run(
  model: FixedModel,
  inputs: Record<string, FloatArray>,
  server: Partial<SessionOptions>,
  client: Partial<SessionOptions> = {},
) {
  const events: StepEvent[] = [];
  const [a, b] = memoryPair();
  const [serverReport, result] = await Promise.all([
    serveInference(a, model, { backend: 'auto', ...server }),
    requestInference(b, inputs, {
      backend: 'auto',
      ...client,
      onStep: (e) => events.push(e),
    }),
  ]);
  return { serverReport, result, events };
}

/** The cost model's bytes of each linear step on the backend the plan put it on. */
async function formulaBytes(model: FixedModel, plan: BackendPlan): Promise<Map<string, number>> {
  const count = heCounter(await loadHeLinear('he'), model.program, plan.link);
  const { ell, weightBits } = model.program;
  const byName = new Map<string, LinearStep>(linearSteps(model).map((s) => [s.name, s]));
  return new Map(
    plan.layers.map((l) => {
      const step = byName.get(l.step)!;
      const bytes =
        l.backend === 'he'
          ? heLayerBytes(count(step), ell)
          : otLayerWork(step, ell, weightBits).bytes;
      return [l.step, bytes];
    }),
  );
}

describe('backend auto', () => {
  for (const [name, model, input, choose] of [
    ['MNIST', mnist, mnistDigit(6), alternating],
    ['MiniONN (synthetic weights)', minionn, minionnInput, largeOnHe],
  ] as const) {
    it(`${name}, a mixed plan: secure == cleartext bit for bit; each layer's bytes = its backend's formula`, {
      timeout: 300_000,
    }, async () => {
      const choice = choose(model);
      const { serverReport, result, events } = await run(
        model,
        { input },
        { plan: choice, link: 'lan' },
      );
      const expected = runFixedPoint(model, { input });
      for (const o of model.program.outputs)
        expect([...result.outputs[o.name]!]).toEqual([...expected[o.name]!]);
      const plan = serverReport.plan!;
      expect(plan.layers.map((l) => l.backend)).toEqual(
        linearSteps(model).map((s) => choice[s.name]),
      );
      expect(new Set(plan.layers.map((l) => l.backend))).toEqual(new Set(['ot', 'he']));
      expect(planDigest(result.report.plan!)).toBe(planDigest(plan));
      const want = await formulaBytes(model, plan);
      const measured = new Map(
        events.filter((e) => want.has(e.step)).map((e) => [e.step, e.bytesSent + e.bytesReceived]),
      );
      expect(measured).toEqual(want);
    });
  }

  it('MNIST on the measured link: the client runs the plan the server made, bit for bit', {
    timeout: 120_000,
  }, async () => {
    const input = mnistDigit(2);
    const { serverReport, result } = await run(mnist, { input }, {});
    expect([...result.outputs.logits!]).toEqual([...runFixedPoint(mnist, { input }).logits!]);
    const plan = serverReport.plan!;
    expect(plan.link.rttMs).toBeGreaterThan(0);
    expect(plan.layers.map((l) => l.step)).toEqual(linearSteps(mnist).map((s) => s.name));
    expect(result.report.plan).toEqual(plan);
  });

  it('the plan follows the link: MNIST on lan and on a 4 MB/s, 100 ms link differ', async () => {
    // On lan HE's key setup does not pay for MNIST's small layers; at 4 MB/s OT's bytes cost more.
    const lan = await planAuto(mnist.program, { rttMs: 0.3, bytesPerSecond: 384e6 });
    const slow = await planAuto(mnist.program, { rttMs: 100, bytesPerSecond: 4e6 });
    expect(lan.layers.length).toBe(linearSteps(mnist).length);
    expect(planDigest(lan)).not.toBe(planDigest(slow));
    // HE sends fewer bytes on MNIST's layers: a slower link only moves layers to HE.
    const onHe = (p: BackendPlan) =>
      new Set(p.layers.filter((l) => l.backend === 'he').map((l) => l.step));
    expect(onHe(slow).size).toBeGreaterThan(onHe(lan).size);
    for (const step of onHe(lan)) expect(onHe(slow).has(step)).toBe(true);
    for (const plan of [lan, slow]) {
      const setup = plan.layers.some((l) => l.backend === 'he');
      const sum = plan.layers.reduce((s, l) => s + l.predictedSeconds, 0);
      // Predicted total = the layers' predictions, plus HE key setup when some layer uses HE.
      if (setup) expect(plan.predictedSeconds).toBeGreaterThan(sum);
      else expect(plan.predictedSeconds).toBeCloseTo(sum, 9);
    }
  });

  it('a client insisting on another plan fails the handshake on both sides, naming the plan', async () => {
    const choice = alternating(mnist);
    const other = Object.fromEntries(
      Object.entries(choice).map(([k, v]) => [k, v === 'he' ? 'ot' : 'he']),
    ) as Record<string, LinearBackend>;
    const [a, b] = memoryPair();
    const sides = await Promise.allSettled([
      serveInference(a, mnist, { backend: 'auto', plan: choice, link: 'wan' }),
      requestInference(b, { input: mnistDigit(1) }, { backend: 'auto', plan: other }),
    ]);
    for (const side of sides) {
      expect(side.status).toBe('rejected');
      const reason = (side as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(HandshakeError);
      expect(reason.message).toMatch(/plan/);
    }
  });
});
