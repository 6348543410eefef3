// The secure executor on the real stack — OT (Z_2^ℓ, ot-linear) and HE (Z_p, he-linear) —
// against the cleartext fixed-point oracle, bit for bit; and the session's mismatch errors.
import { readFileSync } from 'node:fs';
import { HandshakeError, memoryPair, PeerAbortedError } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  type Backend,
  chooseScale,
  compileFixedPoint,
  type FixedModel,
  type FloatArray,
  importOnnx,
  mnistCnn,
  mnistDigit,
  requestInference,
  runFixedPoint,
  SessionError,
  serveInference,
  syntheticWeights,
  validateGraph,
  ZOO,
} from '../../src/index.js';
import { randomArray } from '../helpers.js';

async function secure(model: FixedModel, inputs: Record<string, FloatArray>, backend: Backend) {
  const [a, b] = memoryPair();
  const [, result] = await Promise.all([
    serveInference(a, model, { backend }),
    requestInference(b, inputs, { backend }),
  ]);
  return result.outputs;
}

function same(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

describe('secure inference == cleartext fixed point', () => {
  const mnist = validateGraph(mnistCnn());
  const cases: [Backend, number][] = [
    ['ot', 32],
    ['ot', 37],
    ['he', 32],
    ['he', 37],
    ['he-field', 32],
    ['he-field', 37],
  ];
  for (const [backend, ell] of cases) {
    it(`trained MNIST CNN, backend ${backend}, ℓ = ${ell}`, async () => {
      const model = compileFixedPoint(mnist, { ell, scale: 12 });
      const input = mnistDigit(ell === 32 ? 4 : 9);
      const expected = runFixedPoint(model, { input }).logits!;
      const got = (await secure(model, { input }, backend)).logits!;
      expect(same(got, expected)).toBe(true);
    });
  }

  // The two CIFAR networks of the paper's evaluation, whole, on every backend (4.7 GB of OT
  // traffic for ResNet32 on ot: the slowest test of the suite, about a minute each).
  for (const backend of ['ot', 'he', 'he-field'] as const) {
    it(`ResNet32 (synthetic weights), backend ${backend}, ℓ = 32`, {
      timeout: 600_000,
    }, async () => {
      const graph = validateGraph(ZOO.resnet32.build(syntheticWeights(1)));
      const input = randomArray(3 * 32 * 32, 11);
      const { model } = chooseScale(graph, [{ input }], { ell: 32 });
      const expected = runFixedPoint(model, { input }).fc!;
      const got = (await secure(model, { input }, backend)).fc!;
      expect(same(got, expected)).toBe(true);
    });
  }

  it('tiny-fire (folded and unfolded BN, concat, residual add, avg/max/global pools), every backend', async () => {
    const g = validateGraph(
      importOnnx(readFileSync(new URL('../../fixtures/tiny-fire.onnx', import.meta.url))),
    );
    const bytes = readFileSync(new URL('../../fixtures/tiny-fire.input.bin', import.meta.url));
    const input = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
    const name = g.graph.inputs[0]!.name;
    const out = g.graph.outputs[0]!;
    for (const [backend, ell] of [
      ['ot', 32],
      ['he', 37],
      ['he-field', 32],
    ] as const) {
      const { model } = chooseScale(g, [{ [name]: input }], { ell });
      const expected = runFixedPoint(model, { [name]: input })[out]!;
      const got = (await secure(model, { [name]: input }, backend))[out]!;
      expect(same(got, expected), `${backend} ℓ=${ell}`).toBe(true);
    }
  });
});

describe('session checks', () => {
  const model = compileFixedPoint(validateGraph(mnistCnn()), { ell: 32, scale: 12 });
  const input = { input: mnistDigit(1) };

  it('a client expecting another scale stops before any OT; the server hears why', async () => {
    const other = compileFixedPoint(validateGraph(mnistCnn()), { ell: 32, scale: 11 });
    const [a, b] = memoryPair();
    const [server, client] = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, input, { backend: 'ot', expected: other.program }),
    ]);
    expect(client.status === 'rejected' && client.reason).toBeInstanceOf(SessionError);
    expect((client as PromiseRejectedResult).reason.message).toMatch(/scale 12.*expects 11/);
    expect(server.status === 'rejected' && server.reason).toBeInstanceOf(PeerAbortedError);
    expect(b.stats.bytesSent).toBe(0);
  });

  it("a client whose input overflows tells the server only the error's code", async () => {
    const [a, b] = memoryPair();
    const huge = Float32Array.from(mnistDigit(1), (v, i) => (i === 5 ? 1e9 : v));
    const [server, client] = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, { input: huge }, { backend: 'ot' }),
    ]);
    // The client's own error says how large its input is; the server hears only the code.
    const local = (client as PromiseRejectedResult).reason;
    expect(local.message).toMatch(/a value reaches/);
    const remote = (server as PromiseRejectedResult).reason;
    expect(remote).toBeInstanceOf(PeerAbortedError);
    expect(remote.reason).toBe(local.code);
    expect(remote.message).not.toMatch(/\d/);
  });

  it('a client expecting another weight width stops before any OT, naming weightBits', async () => {
    // The server declares ℓ (the default); this client expects a narrower declared bound.
    const narrower = compileFixedPoint(validateGraph(mnistCnn()), {
      ell: 32,
      scale: 12,
      weightBits: model.program.weightBits - 1,
    });
    const [a, b] = memoryPair();
    const [, client] = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, input, { backend: 'ot', expected: narrower.program }),
    ]);
    const reason = (client as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(SessionError);
    expect(reason.field).toBe('weightBits');
    expect(reason.code).toBe('SESSION_MISMATCH');
    expect(b.stats.bytesSent).toBe(0);
  });

  it('different backends fail the handshake on both sides, naming the field', async () => {
    const [a, b] = memoryPair();
    const [server, client] = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, input, { backend: 'he' }),
    ]);
    for (const side of [server, client]) {
      expect(side.status).toBe('rejected');
      const reason = (side as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(HandshakeError);
      expect(reason.message).toMatch(/backend/);
    }
  });

  it('an input of the wrong size is rejected before any cryptography', async () => {
    const [a, b] = memoryPair();
    const [server, client] = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, { input: new Float32Array(10) }, { backend: 'ot' }),
    ]);
    expect((client as PromiseRejectedResult).reason.message).toMatch(/10 elements.*\[1,1,28,28\]/);
    expect(server.status).toBe('rejected');
  });
});
