// Bit-width and scale autotuning: the shipped MNIST (ℓ, s) are the tuner's choice on the
// held-out digits and agree with float on every one; the choice runs securely bit for bit
// equal to cleartext; a model that cannot fit 64 bits is named; the table is what the
// executor itself says at each (ℓ, s).
import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  autotuneFixedPoint,
  backendBitWidths,
  compileFixedPoint,
  FixedPointError,
  GraphBuilder,
  MNIST_FIXED_POINT,
  mnistCnn,
  mnistDigit,
  requestInference,
  runFixedPoint,
  runFloat,
  serveInference,
  validateGraph,
} from '../../src/index.js';
import { argmax, heldOutDigits } from '../mnist-data.js';

describe('autotuneFixedPoint', () => {
  const mnist = validateGraph(mnistCnn());
  const digits = heldOutDigits();
  const validation = digits.map((d) => ({ input: d.pixels }));
  const labels = digits.map((d) => d.label);

  for (const backend of ['ot', 'he', 'he-field'] as const) {
    it(`MNIST, backend ${backend}: the shipped (ℓ, s) are the tuner's choice on the held-out digits`, {
      timeout: 120_000,
    }, () => {
      const tuned = autotuneFixedPoint(mnist, validation, {
        labels,
        bitWidths: backendBitWidths(backend),
      });
      const { ell, scale } = MNIST_FIXED_POINT[backend];
      expect({ ell: tuned.ell, scale: tuned.scale }).toEqual({ ell, scale });
      if (backend === 'ot') expect(tuned.ell).toBeLessThan(32);
      const chosen = tuned.table[tuned.table.length - 1]!;
      expect(chosen).toMatchObject({ ell: tuned.ell, scale: tuned.scale, accepted: true });
      expect(chosen.top1).toBe(tuned.floatTop1);
      // Every row before the choice fails: it overflows, or disagrees somewhere.
      for (const row of tuned.table.slice(0, -1))
        expect(row.overflow !== undefined || row.agreement! < 1).toBe(true);
      // The executor itself, at the chosen (ℓ, s) with the 1-bit margin, on every digit.
      const model = compileFixedPoint(mnist, MNIST_FIXED_POINT[backend]);
      for (const d of digits) {
        const fixed = argmax(runFixedPoint(model, { input: d.pixels }, { marginBits: 1 }).logits!);
        expect(fixed).toBe(argmax(runFloat(mnist, { input: d.pixels }).logits!.data));
      }
    });
  }

  it('a row the table calls overflowing is one the executor rejects, naming the same layer', () => {
    const ten = Array.from({ length: 10 }, (_, d) => ({ input: mnistDigit(d) }));
    const tuned = autotuneFixedPoint(mnist, ten, { marginBits: 0 });
    const overflowing = tuned.table.filter((r) => r.overflow && r.layers);
    expect(overflowing.length).toBeGreaterThan(0);
    for (const row of overflowing.slice(-3)) {
      const model = compileFixedPoint(mnist, { ell: row.ell, scale: row.scale });
      const failures = ten.map((inputs) => {
        try {
          runFixedPoint(model, inputs);
          return undefined;
        } catch (e) {
          return (e as FixedPointError).node;
        }
      });
      expect(failures).toContain(row.overflow!.node);
    }
    // And the choice runs every input without an error.
    for (const inputs of ten) runFixedPoint(tuned.model, inputs);
  });

  it('the HE backend is offered only its bit widths', () => {
    const ten = Array.from({ length: 10 }, (_, d) => ({ input: mnistDigit(d) }));
    const tuned = autotuneFixedPoint(mnist, ten, { bitWidths: [32, 37] });
    expect(new Set(tuned.table.map((r) => r.ell))).toEqual(new Set([32]));
    expect(tuned.model.program.ell).toBe(32);
  });

  it('a model whose values cannot fit 64 bits is an error naming the layer', () => {
    // Two layers multiplying by 2^40 each: 2^80 at scale 0, beyond any ℓ ≤ 64.
    const b = new GraphBuilder({ name: 'input', shape: [1, 4] }, (name, shape) =>
      Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () =>
        name.endsWith('.weight') ? 2 ** 40 : 0,
      ),
    );
    const graph = validateGraph(b.build([b.fc('huge2', b.fc('huge1', 'input', 4), 4)]));
    const inputs = { input: Float32Array.of(1, 1, 1, 1) };
    expect(() => autotuneFixedPoint(graph, [inputs])).toThrow(FixedPointError);
    expect(() => autotuneFixedPoint(graph, [inputs])).toThrow(/layer 'huge\d'.*ℓ = 64/);
  });

  it('rejects an empty validation set and mismatched labels', () => {
    expect(() => autotuneFixedPoint(mnist, [])).toThrow(/no validation inputs/);
    expect(() => autotuneFixedPoint(mnist, validation.slice(0, 2), { labels: [1] })).toThrow(
      /1 labels for 2 validation inputs/,
    );
  });
});

describe('MNIST at its tuned ℓ, securely', () => {
  it(`backend ot, ℓ = ${MNIST_FIXED_POINT.ot.ell}: logits equal the cleartext run bit for bit`, {
    timeout: 120_000,
  }, async () => {
    const model = compileFixedPoint(validateGraph(mnistCnn()), MNIST_FIXED_POINT.ot);
    const input = mnistDigit(3);
    const expected = runFixedPoint(model, { input }).logits!;
    const [a, b] = memoryPair();
    const [, result] = await Promise.all([
      serveInference(a, model, { backend: 'ot' }),
      requestInference(b, { input }, { backend: 'ot' }),
    ]);
    expect(Array.from(result.outputs.logits!)).toEqual(Array.from(expected));
  });
});
