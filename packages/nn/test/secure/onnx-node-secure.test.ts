// Every ONNX node test the float executor passes is also compiled to fixed point (ℓ = 32, the
// scale autotuned on the test's own input) and run securely on the OT backend; the secure
// output must equal the cleartext fixed-point output bit for bit. One OT setup serves all
// tests (a session per test would spend its time on base OTs).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT, partyContext, SERVER } from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import { memoryPair } from '@secinfer/transport';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  chooseScale,
  type FixedModel,
  quantiseInput,
  runFixedPoint,
  SUPPORTED_ONNX_OPS,
  validateGraph,
} from '../../src/index.js';
import { otLinear } from '../../src/secure/backends.js';
import { type PartyContext, ringDomain } from '../../src/secure/domain.js';
import { runSecureSteps } from '../../src/secure/executor.js';
import { haveData, loadNodeTest, NODE_TESTS, OUT_OF_SCOPE, opsOf } from '../onnx-node-tests.js';

const ELL = 32;

describe('ONNX node tests: secure == cleartext fixed point (backend ot, ℓ = 32)', () => {
  if (!haveData) {
    it.skip(`skipped: ${NODE_TESTS} is missing (apt-get install libonnx-testdata)`, () => {});
    return;
  }
  const supported = new Set(SUPPORTED_ONNX_OPS);
  const tests = readdirSync(NODE_TESTS)
    .filter((t) => !OUT_OF_SCOPE[t])
    .filter((t) => opsOf(join(NODE_TESTS, t)).every((op) => supported.has(op)))
    // A secure model ends at its logits; the client takes their argmax (see the README).
    .filter((t) => !opsOf(join(NODE_TESTS, t)).includes('ArgMax'))
    .sort();

  const parties: { server?: PartyContext; client?: PartyContext } = {};
  beforeAll(async () => {
    const [a, b] = memoryPair();
    const [ps, pc] = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
    parties.server = partyContext(ps);
    parties.client = partyContext(pc);
  });

  async function secureRun(
    model: FixedModel,
    input: string | undefined,
    data: Float32Array | Float64Array,
  ) {
    const d = ringDomain(ELL);
    const { program } = model;
    const run = async (ctx: PartyContext) => {
      const shares = new Map<string, Uint32Array>();
      if (input !== undefined) {
        shares.set(
          input,
          ctx.party === CLIENT
            ? d.fromSigned(quantiseInput(program, input, data))
            : d.zeros(data.length),
        );
      }
      const out = await runSecureSteps(
        d,
        ctx,
        otLinear(ctx, ELL),
        program,
        shares,
        ctx.party === SERVER ? model.weights : undefined,
      );
      const opened: Float64Array[] = [];
      for (const o of program.outputs) {
        const v = await d.reveal(ctx, out.get(o.name)!, CLIENT);
        if (v) opened.push(v);
      }
      return opened;
    };
    const [, client] = await Promise.all([run(parties.server!), run(parties.client!)]);
    return client;
  }

  it('finds the node tests', () => {
    expect(tests.length).toBeGreaterThan(50);
  });

  for (const t of tests) {
    it(t, async () => {
      for (const c of loadNodeTest(join(NODE_TESTS, t))) {
        const graph = validateGraph(c.graph);
        const inputs = c.input === undefined ? {} : { [c.input]: c.inputs[0]!.data };
        const { model } = chooseScale(graph, [inputs], { ell: ELL });
        const expected = runFixedPoint(model, inputs);
        const got = await secureRun(model, c.input, c.inputs[0]?.data ?? new Float32Array());
        model.program.outputs.forEach((o, k) => {
          const want = expected[o.name]!;
          expect(got[k]!.length).toBe(want.length);
          expect(
            got[k]!.every((v, i) => v === want[i]),
            `${c.set} ${o.name}`,
          ).toBe(true);
        });
      }
    });
  }
});
