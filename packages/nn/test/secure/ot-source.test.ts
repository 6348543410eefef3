// A session on silent OT equals the cleartext fixed point bit for bit, like one on IKNP; the
// two parties must agree on the source (the handshake checks), and `auto` goes by size.
import { HandshakeError, memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  chooseOtSource,
  compileFixedPoint,
  linearOutputs,
  mnistCnn,
  mnistDigit,
  requestInference,
  runFixedPoint,
  SILENT_OT_CROSSOVER,
  serveInference,
  validateGraph,
} from '../../src/index.js';

const model = compileFixedPoint(validateGraph(mnistCnn()), { ell: 32, scale: 12 });

describe('OT source of a session', () => {
  it('MNIST on silent OT equals the cleartext fixed point, and says so in the report', async () => {
    const input = mnistDigit(3);
    const [a, b] = memoryPair();
    const [server, client] = await Promise.all([
      serveInference(a, model, { backend: 'ot', ot: 'silent' }),
      requestInference(b, { input }, { backend: 'ot', ot: 'silent' }),
    ]);
    expect([...client.outputs.logits!]).toEqual([...runFixedPoint(model, { input }).logits!]);
    expect(server.ot).toBe('silent');
    expect(client.report.ot).toBe('silent');
  }, 120_000);

  it('parties on different sources fail the handshake on both sides', async () => {
    const [a, b] = memoryPair();
    const sides = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot', ot: 'iknp' }),
      requestInference(b, { input: mnistDigit(1) }, { backend: 'ot', ot: 'silent' }),
    ]);
    for (const side of sides) {
      expect(side.status).toBe('rejected');
      expect((side as PromiseRejectedResult).reason).toBeInstanceOf(HandshakeError);
    }
  });

  it('auto picks by the linear layers’ outputs', () => {
    const outputs = linearOutputs(model.program);
    expect(outputs).toBeGreaterThan(0);
    expect(chooseOtSource('auto', model.program)).toBe(
      outputs >= SILENT_OT_CROSSOVER ? 'silent' : 'iknp',
    );
    expect(chooseOtSource('silent', model.program)).toBe('silent');
  });
});
