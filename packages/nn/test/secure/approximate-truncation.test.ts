// The opt-in approximate truncation end to end: a whole network stays within a few LSBs of the
// cleartext fixed point and predicts the same class; it is never on unless both parties ask,
// and the field backend refuses it.
import { HandshakeError, memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  compileFixedPoint,
  mnistCnn,
  mnistDigit,
  requestInference,
  runFixedPoint,
  SessionError,
  serveInference,
  validateGraph,
} from '../../src/index.js';

const model = compileFixedPoint(validateGraph(mnistCnn()), { ell: 32, scale: 12 });

function argmax(v: Float64Array): number {
  return v.reduce((best, x, i) => (x > v[best]! ? i : best), 0);
}

describe("truncation: 'approximate' (opt-in)", () => {
  it('MNIST over ot: logits within a few LSBs of the fixed point, same digits', async () => {
    for (const digit of [0, 4]) {
      const input = mnistDigit(digit);
      const expected = runFixedPoint(model, { input }).logits!;
      const [a, b] = memoryPair();
      const [, result] = await Promise.all([
        serveInference(a, model, { backend: 'ot', truncation: 'approximate' }),
        requestInference(b, { input }, { backend: 'ot', truncation: 'approximate' }),
      ]);
      const got = result.outputs.logits!;
      // Each truncation is at most one LSB low; the layers after it scale that by their
      // weights, so the logits may differ by more than one, but by far less than 2^-4.
      const worst = Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)));
      expect(worst).toBeLessThan(2 ** (12 - 4));
      expect(argmax(got)).toBe(argmax(expected));
    }
  });

  it('MNIST over ring he: the option reaches the truncations (logits move, within bounds)', async () => {
    const input = mnistDigit(4);
    const expected = runFixedPoint(model, { input }).logits!;
    const [a, b] = memoryPair();
    const [, result] = await Promise.all([
      serveInference(a, model, { backend: 'he', truncation: 'approximate' }),
      requestInference(b, { input }, { backend: 'he', truncation: 'approximate' }),
    ]);
    const got = result.outputs.logits!;
    // Hundreds of truncations, each one low about half the time: equal logits would mean the
    // session truncated faithfully and ignored the option.
    expect(got.some((v, i) => v !== expected[i])).toBe(true);
    expect(Math.max(...got.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(2 ** (12 - 4));
    expect(argmax(got)).toBe(argmax(expected));
  });

  it('a client asking for it against a faithful server fails the handshake on both sides', async () => {
    const [a, b] = memoryPair();
    const sides = await Promise.allSettled([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, { input: mnistDigit(1) }, { backend: 'ot', truncation: 'approximate' }),
    ]);
    for (const side of sides) {
      expect(side.status).toBe('rejected');
      const reason = (side as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(HandshakeError);
      expect(reason.message).toMatch(/truncation/);
    }
  });

  it('the field backend refuses it with a typed error', async () => {
    const [a, b] = memoryPair();
    const [server] = await Promise.allSettled([
      serveInference(a, model, { backend: 'he-field', truncation: 'approximate' }),
      requestInference(
        b,
        { input: mnistDigit(1) },
        { backend: 'he-field', truncation: 'approximate' },
      ),
    ]);
    const reason = (server as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(SessionError);
    expect(reason.field).toBe('truncation');
  });
});
