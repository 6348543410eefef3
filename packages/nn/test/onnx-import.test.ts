// ONNX import: supported operators map onto the IR, and everything else — unknown operators,
// unsupported attributes, non-constant weights, malformed bytes — is an OnnxImportError that
// names the operator and node.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx, OnnxImportError, runFloat, validateGraph } from '../src/index.js';
import { ModelProtoType } from '../src/onnx/schema.js';

const FLOAT = 1;

interface TestNode {
  opType: string;
  name: string;
  input: string[];
  output: string[];
  attribute?: object[];
}

/** Serialises a one-input float model: x [1, 2, 4, 4], the given nodes, output 'y'. */
function model(nodes: TestNode[], initializer: object[] = []): Uint8Array {
  const valueInfo = (name: string, dims: number[]) => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const message = ModelProtoType.fromObject({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'test',
      node: nodes,
      initializer,
      input: [valueInfo('x', [1, 2, 4, 4])],
      output: [valueInfo('y', [])],
    },
  });
  return ModelProtoType.encode(message).finish();
}

const ints = (name: string, values: number[]) => ({ name, type: 7, ints: values });
const weight = (name: string, dims: number[]) => ({
  name,
  dims,
  dataType: FLOAT,
  floatData: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => (i % 5) - 2),
});

function importError(bytes: Uint8Array): OnnxImportError {
  try {
    importOnnx(bytes);
  } catch (e) {
    if (e instanceof OnnxImportError && e.code === 'ONNX_IMPORT') return e;
    throw e;
  }
  throw new Error('model was accepted');
}

describe('importOnnx', () => {
  it('imports the tiny-fire fixture into validated IR nodes', () => {
    const bytes = readFileSync(join(__dirname, '..', 'fixtures', 'tiny-fire.onnx'));
    const graph = importOnnx(bytes);
    const kinds = new Set(graph.nodes.map((n) => n.kind));
    for (const k of [
      'conv',
      'batchnorm',
      'relu',
      'maxpool',
      'avgpool',
      'concat',
      'add',
      'globalavgpool',
      'flatten',
      'gemm',
    ]) {
      expect(kinds.has(k as never)).toBe(true);
    }
    expect(validateGraph(graph).shapes.get(graph.outputs[0]!)).toEqual([1, 10]);
  });

  it('maps Conv with auto_pad SAME_UPPER to explicit pads', () => {
    const bytes = model(
      [
        {
          opType: 'Conv',
          name: 'c',
          input: ['x', 'w'],
          output: ['y'],
          attribute: [
            ints('strides', [2, 2]),
            { name: 'auto_pad', type: 3, s: new TextEncoder().encode('SAME_UPPER') },
          ],
        },
      ],
      [weight('w', [3, 2, 3, 3])],
    );
    const graph = importOnnx(bytes);
    const conv = graph.nodes[0]!;
    expect(conv.kind === 'conv' && conv.pads).toEqual([0, 0, 1, 1]);
    const out = runFloat(validateGraph(graph), { x: new Float32Array(32).fill(1) });
    expect(out.y!.shape).toEqual([1, 3, 2, 2]);
  });

  it('rejects an unsupported operator, naming it and the node', () => {
    const e = importError(model([{ opType: 'Softmax', name: 'sm', input: ['x'], output: ['y'] }]));
    expect(e.opType).toBe('Softmax');
    expect(e.node).toBe('sm');
  });

  it('rejects an attribute it does not implement instead of ignoring it', () => {
    const e = importError(
      model([
        {
          opType: 'MaxPool',
          name: 'mp',
          input: ['x'],
          output: ['y'],
          attribute: [ints('kernel_shape', [2, 2]), ints('dilations', [2, 2])],
        },
      ]),
    );
    expect(e.message).toMatch(/mp.*dilations/);
    const unknown = importError(
      model([
        {
          opType: 'Relu',
          name: 'r',
          input: ['x'],
          output: ['y'],
          attribute: [ints('mystery', [1])],
        },
      ]),
    );
    expect(unknown.message).toMatch(/unsupported attribute 'mystery'/);
  });

  it('rejects a weight that is a runtime input', () => {
    const e = importError(model([{ opType: 'Conv', name: 'c', input: ['x', 'x'], output: ['y'] }]));
    expect(e.message).toMatch(/weight W .* must be a constant/);
  });

  it('rejects bytes that are not an ONNX model', () => {
    const e = importError(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2]));
    expect(e.message).toMatch(/malformed ONNX file/);
  });

  it('reports a shape error of an imported node as an import error naming the node', () => {
    const e = importError(
      model(
        [{ opType: 'Conv', name: 'c', input: ['x', 'w'], output: ['y'] }],
        [weight('w', [3, 5, 3, 3])],
      ),
    );
    expect(e.node).toBe('c');
    expect(e.message).toMatch(/input channels 2/);
  });
});
