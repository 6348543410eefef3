// The ONNX project's own backend node tests (Debian package libonnx-testdata) run through
// importOnnx + runFloat: every test whose operators are all supported must pass at the
// backend's tolerance (rtol 1e-3, atol 1e-7), and every test we deliberately reject must be
// rejected with an OnnxImportError, not computed wrongly. Skipped, loudly, without the data.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ModelError,
  OnnxImportError,
  runFloat,
  SUPPORTED_ONNX_OPS,
  validateGraph,
} from '../src/index.js';
import { haveData, loadNodeTest, NODE_TESTS, OUT_OF_SCOPE, opsOf } from './onnx-node-tests.js';

const RTOL = 1e-3;
const ATOL = 1e-7;

/** Runs one node test; returns a failure description or undefined. */
function runNodeTest(dir: string): string | undefined {
  for (const { set, graph, input, inputs, expected } of loadNodeTest(dir)) {
    const out = runFloat(
      validateGraph(graph),
      input === undefined ? {} : { [input]: inputs[0]!.data },
    );
    for (const [k, name] of graph.outputs.entries()) {
      const got = out[name]!;
      const want = expected[k]!;
      if (got.data.length !== want.data.length)
        return `${name}: length ${got.data.length} != ${want.data.length}`;
      for (let i = 0; i < want.data.length; i++) {
        const e = want.data[i]!;
        if (!(Math.abs(got.data[i]! - e) <= ATOL + RTOL * Math.abs(e))) {
          return `${set} ${name}[${i}] = ${got.data[i]} expected ${e}`;
        }
      }
    }
  }
  return undefined;
}

describe('ONNX backend node tests (float executor)', () => {
  if (!haveData) {
    it.skip(`skipped: ${NODE_TESTS} is missing (apt-get install libonnx-testdata)`, () => {});
    return;
  }
  const supported = new Set(SUPPORTED_ONNX_OPS);
  const tests = readdirSync(NODE_TESTS)
    .filter((t) => opsOf(join(NODE_TESTS, t)).every((op) => supported.has(op)))
    .sort();

  it('finds the supported node tests', () => {
    expect(tests.length).toBeGreaterThan(50);
  });

  for (const t of tests) {
    const reason = OUT_OF_SCOPE[t];
    if (reason) {
      it(`${t} is rejected explicitly (${reason})`, () => {
        let error: unknown;
        try {
          runNodeTest(join(NODE_TESTS, t));
        } catch (e) {
          error = e;
        }
        expect(error instanceof OnnxImportError || error instanceof ModelError).toBe(true);
      });
    } else {
      it(t, () => {
        expect(runNodeTest(join(NODE_TESTS, t))).toBeUndefined();
      });
    }
  }
});
