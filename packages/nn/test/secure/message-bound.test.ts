// The bound on every message after setup (message-bound.ts) against what sessions send: each
// run under the bound (the session sets it on both sides) still equals cleartext, never sends
// more than the bound, and the bound is not so loose that it stops nothing.
import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  compileFixedPoint,
  type FixedModel,
  type FloatArray,
  mnistCnn,
  mnistDigit,
  requestInference,
  runFixedPoint,
  serveInference,
  syntheticWeights,
  validateGraph,
  ZOO,
} from '../../src/index.js';
import {
  largestMessageBound,
  linearBackends,
  SETUP_MESSAGE_BOUND,
} from '../../src/secure/message-bound.js';
import { randomArray } from '../helpers.js';

const mnist = compileFixedPoint(validateGraph(mnistCnn()), { ell: 32, scale: 12 });
const minionn = compileFixedPoint(validateGraph(ZOO.minionn.build(syntheticWeights(1))), {
  ell: 32,
  scale: 13,
  weightBound: 2,
});

async function run(model: FixedModel, input: FloatArray, backend: Backend, ot: 'iknp' | 'silent') {
  const [a, b] = memoryPair();
  const [server, client] = await Promise.all([
    serveInference(a, model, { backend, ot }),
    requestInference(b, { input }, { backend, ot }),
  ]);
  return { server, client };
}

describe('the largest message after setup, bounded from the public program', () => {
  const cases: [string, FixedModel, FloatArray, Backend, 'iknp' | 'silent', number][] = [
    ['MNIST', mnist, mnistDigit(4), 'ot', 'iknp', 1.5],
    ['MNIST', mnist, mnistDigit(4), 'ot', 'silent', 1.5],
    ['MNIST', mnist, mnistDigit(4), 'he', 'iknp', 1.5],
    ['MNIST', mnist, mnistDigit(4), 'he-field', 'iknp', 1.5],
    ['MiniONN', minionn, randomArray(3 * 32 * 32, 3), 'he', 'iknp', 10],
  ];
  for (const [name, model, input, backend, ot, slack] of cases) {
    it(`${name} on ${backend}/${ot}: measured ≤ bound ≤ ${slack} × measured, secure == cleartext`, {
      timeout: 120_000,
    }, async () => {
      const { server, client } = await run(model, input, backend, ot);
      const want = runFixedPoint(model, { input });
      for (const [k, v] of Object.entries(client.outputs)) expect([...v]).toEqual([...want[k]!]);
      const bound = largestMessageBound(model.program, linearBackends(backend), ot);
      expect(server.messageBound).toBe(bound);
      expect(client.report.messageBound).toBe(bound);
      const measured = Math.max(server.largestMessage!, client.report.largestMessage!);
      expect(measured).toBeGreaterThan(0);
      expect(measured).toBeLessThanOrEqual(bound);
      expect(bound).toBeLessThanOrEqual(slack * measured);
    });
  }

  it('setup stays under SETUP_MESSAGE_BOUND (he-field: its Galois keys are the largest)', async () => {
    const [a, b] = memoryPair();
    // The longest message of each stretch before a limit is set: the handshake's, then setup's.
    const stretches: number[] = [];
    for (const channel of [a, b]) {
      const limit = channel.limitMessages.bind(channel);
      channel.limitMessages = (bytes) => {
        const { sent, received } = channel.largestMessages;
        stretches.push(Math.max(sent, received));
        limit(bytes);
      };
    }
    await Promise.all([
      serveInference(a, mnist, { backend: 'he-field' }),
      requestInference(b, { input: mnistDigit(4) }, { backend: 'he-field' }),
    ]);
    expect(stretches).toHaveLength(4);
    expect(Math.max(...stretches)).toBeGreaterThan(8 * 2 ** 20);
    expect(Math.max(...stretches)).toBeLessThanOrEqual(SETUP_MESSAGE_BOUND);
  });

  it('a peer that ignores the bound is refused mid-session, with FRAME_TOO_LARGE on both sides', async () => {
    const bound = largestMessageBound(mnist.program, linearBackends('ot'), 'iknp');
    const [a, b] = memoryPair();
    // The client's channel ignores both limits (setup's, then the program's) and makes its
    // first message after setup one byte longer than the program's bound.
    let limits = 0;
    let armed = false;
    b.limitMessages = () => {
      armed = ++limits === 2;
    };
    const send = b.send.bind(b);
    b.send = (message) => {
      if (!armed) return send(message);
      armed = false;
      return send(new Uint8Array(bound + 1));
    };
    const [server, client] = await Promise.allSettled([
      serveInference(a, mnist, { backend: 'ot' }),
      requestInference(b, { input: mnistDigit(4) }, { backend: 'ot' }),
    ]);
    expect(server).toMatchObject({ status: 'rejected', reason: { code: 'FRAME_TOO_LARGE' } });
    expect(client).toMatchObject({ status: 'rejected', reason: { code: 'PEER_ABORTED' } });
    expect((client as PromiseRejectedResult).reason.message).toContain('FRAME_TOO_LARGE');
  });
});
