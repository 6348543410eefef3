// The ONNX project's backend node tests (Debian's libonnx-testdata): where they are, which of
// them are out of scope and why, and how one test's model and data sets load — shared by the
// float conformance test and the fixed-point/secure agreement test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeOnnxTensor, importOnnx, type ModelGraph, type Tensor } from '../src/index.js';
import { type ModelProto, ModelProtoType } from '../src/onnx/schema.js';

// Debian's libonnx-testdata location; ONNX_NODE_TESTS points elsewhere (e.g. a pip onnx checkout).
export const NODE_TESTS = process.env.ONNX_NODE_TESTS ?? '/usr/share/libonnx-testdata/data/node';
export const haveData = existsSync(NODE_TESTS);

/** Node tests of supported operators that are out of scope, and why (see the README). */
export const OUT_OF_SCOPE: Record<string, string> = {
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

export function opsOf(dir: string): string[] {
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

/** One data set of a node test: the graph (extra inputs frozen as weights) and its data. */
export interface NodeTestCase {
  readonly set: string;
  readonly graph: ModelGraph;
  /** The runtime (client) input's name, if the graph has one. */
  readonly input?: string;
  readonly inputs: Tensor[];
  readonly expected: Tensor[];
}

/** Loads every data set of the node test in `dir`; import errors propagate. */
export function loadNodeTest(dir: string): NodeTestCase[] {
  const bytes = readFileSync(join(dir, 'model.onnx'));
  const model = ModelProtoType.decode(bytes) as unknown as ModelProto;
  const inputNames = model.graph!.input.map((i) => i.name);
  const initialisers = new Set(model.graph!.initializer.map((t) => t.name));
  const runtimeNames = inputNames.filter((n) => !initialisers.has(n));
  return readdirSync(dir)
    .filter((f) => f.startsWith('test_data_set_'))
    .map((set) => {
      const inputs = loadSet(join(dir, set), 'input_');
      const expected = loadSet(join(dir, set), 'output_');
      // The first input is the runtime (client) input; the others are the model's weights.
      const constants = Object.fromEntries(
        runtimeNames.slice(1).map((n, i) => [n, inputs[i + 1]!]),
      );
      const first = runtimeNames[0];
      const graph = importOnnx(bytes, {
        constants,
        inputShapes: first === undefined ? {} : { [first]: inputs[0]!.shape },
      });
      return { set, graph, input: first, inputs, expected };
    });
}
