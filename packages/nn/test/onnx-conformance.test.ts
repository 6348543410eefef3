// The ONNX project's own backend node tests (Debian package libonnx-testdata) run through
// importOnnx + runFloat: every test whose operators are all supported must pass at the
// backend's tolerance (rtol 1e-3, atol 1e-7), and every test we deliberately reject must be
// rejected with an OnnxImportError, not computed wrongly. Skipped, loudly, without the data.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeOnnxTensor,
  importOnnx,
  ModelError,
  OnnxImportError,
  runFloat,
  SUPPORTED_ONNX_OPS,
  type Tensor,
  validateGraph,
} from '../src/index.js';
import { type ModelProto, ModelProtoType } from '../src/onnx/schema.js';

// Debian's libonnx-testdata location; ONNX_NODE_TESTS points elsewhere (e.g. a pip onnx checkout).
const NODE_TESTS = process.env.ONNX_NODE_TESTS ?? '/usr/share/libonnx-testdata/data/node';
const haveData = existsSync(NODE_TESTS);

/** Node tests of supported operators that are out of scope, and why (see the README). */
const OUT_OF_SCOPE: Record<string, string> = {
  test_add_uint8: 'integer inputs: the float executor takes FLOAT/DOUBLE inputs only',
  test_maxpool_2d_uint8: 'integer inputs: the float executor takes FLOAT/DOUBLE inputs only',
  test_averagepool_1d_default: '1-D pooling: only 2-D (NCHW) pooling is supported',
  test_maxpool_1d_default: '1-D pooling: only 2-D (NCHW) pooling is supported',
  test_averagepool_3d_default: '3-D pooling: only 2-D (NCHW) pooling is supported',
  test_maxpool_3d_default: '3-D pooling: only 2-D (NCHW) pooling is supported',
  test_maxpool_2d_dilations: 'dilated pooling is not supported',
  test_maxpool_with_argmax_2d_precomputed_pads: 'the Indices output of MaxPool is not supported',
  test_maxpool_with_argmax_2d_precomputed_strides: 'the Indices output of MaxPool is not supported',
  test_batchnorm_epsilon_training_mode: 'training-mode batch norm (inference only)',
  test_batchnorm_example_training_mode: 'training-mode batch norm (inference only)',
  test_dropout_default_mask: 'the mask output of Dropout is not supported',
  test_dropout_default_mask_ratio: 'the mask output of Dropout is not supported',
  test_training_dropout: 'training-mode Dropout (inference only)',
  test_training_dropout_default: 'training-mode Dropout (inference only)',
  test_training_dropout_default_mask: 'training-mode Dropout (inference only)',
  test_training_dropout_mask: 'training-mode Dropout (inference only)',
  test_training_dropout_zero_ratio: 'training-mode Dropout (inference only)',
  test_training_dropout_zero_ratio_mask: 'training-mode Dropout (inference only)',
  test_constant_pad: 'non-zero Pad: only the all-zero Pad of PyTorch AvgPool2d exports is accepted',
  test_edge_pad: 'non-zero Pad: only the all-zero Pad of PyTorch AvgPool2d exports is accepted',
  test_reflect_pad: 'non-zero Pad: only the all-zero Pad of PyTorch AvgPool2d exports is accepted',
  test_gemm_all_attributes: 'Gemm with transA = 1 (the input is never transposed in an FC layer)',
  test_gemm_transposeA: 'Gemm with transA = 1 (the input is never transposed in an FC layer)',
  test_gemm_default_matrix_bias: 'Gemm with a full [M, N] matrix C: only a per-output bias',
  test_matmul_3d: 'batched MatMul: only a 2-D input times a 2-D constant matrix',
  test_matmul_4d: 'batched MatMul: only a 2-D input times a 2-D constant matrix',
  test_identity_opt: 'optional types: tensors only',
  test_identity_sequence: 'sequence types: tensors only',
  test_reshape_allowzero_reordered: 'empty tensors (a zero dimension) are not supported',
};

const RTOL = 1e-3;
const ATOL = 1e-7;

function opsOf(dir: string): string[] {
  const model = ModelProtoType.decode(
    readFileSync(join(dir, 'model.onnx')),
  ) as unknown as ModelProto;
  return model.graph!.node.map((n) => n.opType);
}

function loadSet(dir: string, prefix: string): Tensor[] {
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => decodeOnnxTensor(readFileSync(join(dir, f))));
}

/** Runs one node test; returns a failure description or undefined. */
function runNodeTest(dir: string): string | undefined {
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const model = ModelProtoType.decode(bytes) as unknown as ModelProto;
  const inputNames = model.graph!.input.map((i) => i.name);
  const initialisers = new Set(model.graph!.initializer.map((t) => t.name));
  const runtimeNames = inputNames.filter((n) => !initialisers.has(n));
  const sets = readdirSync(dir).filter((f) => f.startsWith('test_data_set_'));
  for (const set of sets) {
    const inputs = loadSet(join(dir, set), 'input_');
    const expected = loadSet(join(dir, set), 'output_');
    // The first input is the runtime (client) input; the others are the model's weights.
    const constants = Object.fromEntries(runtimeNames.slice(1).map((n, i) => [n, inputs[i + 1]!]));
    const first = runtimeNames[0];
    const graph = importOnnx(bytes, {
      constants,
      inputShapes: first === undefined ? {} : { [first]: inputs[0]!.shape },
    });
    const out = runFloat(
      validateGraph(graph),
      first === undefined ? {} : { [first]: inputs[0]!.data },
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
