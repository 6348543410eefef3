// The validator and shape inference: shapes of every layer kind, and malformed graphs
// rejected with a ModelError naming the node at fault.
import { describe, expect, it } from 'vitest';
import { ModelError, type ModelGraph, type ModelNode, validateGraph } from '../src/index.js';

const t = (shape: number[]) => ({
  shape,
  data: new Float32Array(shape.reduce((a, b) => a * b, 1)),
});

const conv: ModelNode = {
  kind: 'conv',
  name: 'conv1',
  inputs: ['x'],
  output: 'c1',
  weight: t([8, 3, 3, 3]),
  bias: t([8]),
  strides: [2, 2],
  pads: [1, 1, 1, 1],
  dilations: [1, 1],
  group: 1,
};

function net(nodes: ModelNode[], outputs = [nodes[nodes.length - 1]!.output]): ModelGraph {
  return { inputs: [{ name: 'x', shape: [1, 3, 32, 32] }], nodes, outputs };
}

function errorOf(graph: ModelGraph): ModelError {
  try {
    validateGraph(graph);
  } catch (e) {
    if (e instanceof ModelError && e.code === 'MODEL_INVALID') return e;
    throw e;
  }
  throw new Error('graph was accepted');
}

describe('validateGraph', () => {
  it('infers shapes through a small residual network, whatever the node order', () => {
    const nodes: ModelNode[] = [
      { kind: 'gemm', name: 'fc', inputs: ['f'], output: 'y', weight: t([10, 8]) },
      conv,
      { kind: 'relu', name: 'relu1', inputs: ['c1'], output: 'r1' },
      { kind: 'add', name: 'res', inputs: ['r1', 'c1'], output: 'a' },
      { kind: 'concat', name: 'cat', inputs: ['a', 'r1'], output: 'cc', axis: 1 },
      {
        kind: 'maxpool',
        name: 'pool',
        inputs: ['cc'],
        output: 'p',
        kernel: [3, 3],
        strides: [2, 2],
        pads: [0, 0, 0, 0],
        ceilMode: true,
      },
      {
        kind: 'conv',
        name: 'squeeze',
        inputs: ['p'],
        output: 's',
        weight: t([8, 16, 1, 1]),
        strides: [1, 1],
        pads: [0, 0, 0, 0],
        dilations: [1, 1],
        group: 1,
      },
      { kind: 'globalavgpool', name: 'gap', inputs: ['s'], output: 'g' },
      { kind: 'flatten', name: 'flat', inputs: ['g'], output: 'f', axis: 1 },
      {
        kind: 'argmax',
        name: 'arg',
        inputs: ['y'],
        output: 'k',
        axis: 1,
        keepDims: false,
        selectLastIndex: false,
      },
    ];
    const v = validateGraph(net(nodes, ['k']));
    expect(v.shapes.get('c1')).toEqual([1, 8, 16, 16]);
    expect(v.shapes.get('cc')).toEqual([1, 16, 16, 16]);
    expect(v.shapes.get('p')).toEqual([1, 16, 8, 8]);
    expect(v.shapes.get('y')).toEqual([1, 10]);
    expect(v.shapes.get('k')).toEqual([1]);
    expect(v.order.map((n) => n.name).indexOf('fc')).toBeGreaterThan(
      v.order.map((n) => n.name).indexOf('flat'),
    );
  });

  it('names the node whose weight does not fit its input', () => {
    const e = errorOf(net([{ ...conv, weight: t([8, 4, 3, 3]) }]));
    expect(e.node).toBe('conv1');
    expect(e.message).toMatch(/input channels 3/);
  });

  it('names the node whose weight data does not match its shape', () => {
    const e = errorOf(net([{ ...conv, bias: { shape: [8], data: new Float32Array(7) } }]));
    expect(e.node).toBe('conv1');
    expect(e.message).toMatch(/bias has 7 elements/);
  });

  it('rejects an input nobody produces, naming the reader', () => {
    const e = errorOf(net([conv, { kind: 'relu', name: 'r', inputs: ['nope'], output: 'y' }]));
    expect(e.node).toBe('r');
  });

  it('rejects a cycle', () => {
    const e = errorOf(
      net([
        { kind: 'relu', name: 'a', inputs: ['yb'], output: 'ya' },
        { kind: 'relu', name: 'b', inputs: ['ya'], output: 'yb' },
      ]),
    );
    expect(e.message).toMatch(/cycle/);
  });

  it('rejects duplicate names and producers', () => {
    expect(errorOf(net([conv, { ...conv }])).message).toMatch(/duplicate node name/);
    expect(errorOf(net([conv, { ...conv, name: 'conv2' }])).message).toMatch(/already produced/);
  });

  it('rejects incompatible shapes in add and concat', () => {
    const pool: ModelNode = {
      kind: 'avgpool',
      name: 'half',
      inputs: ['c1'],
      output: 'h',
      kernel: [2, 2],
      strides: [2, 2],
      pads: [0, 0, 0, 0],
      ceilMode: false,
      countIncludePad: false,
    };
    expect(
      errorOf(net([conv, pool, { kind: 'add', name: 'sum', inputs: ['c1', 'h'], output: 'y' }]))
        .node,
    ).toBe('sum');
    expect(
      errorOf(
        net([
          conv,
          pool,
          { kind: 'concat', name: 'cat', inputs: ['c1', 'h'], output: 'y', axis: 1 },
        ]),
      ).node,
    ).toBe('cat');
  });

  it('rejects bad attributes: zero stride, pads as large as the pool kernel, bad axis', () => {
    expect(errorOf(net([{ ...conv, strides: [0, 1] }])).message).toMatch(/strides/);
    const pool: ModelNode = {
      kind: 'maxpool',
      name: 'mp',
      inputs: ['x'],
      output: 'y',
      kernel: [2, 2],
      strides: [1, 1],
      pads: [2, 0, 0, 0],
      ceilMode: false,
    };
    expect(errorOf(net([pool])).node).toBe('mp');
    expect(
      errorOf(net([{ kind: 'flatten', name: 'fl', inputs: ['x'], output: 'y', axis: 5 }])).node,
    ).toBe('fl');
  });

  it('rejects an output that is never produced', () => {
    expect(errorOf(net([conv], ['missing'])).node).toBe('missing');
  });
});

describe('validateGraph on weights values', () => {
  it('rejects a batch norm whose variance + epsilon is not positive', () => {
    const c = (v: number) => ({ shape: [3], data: new Float32Array(3).fill(v) });
    const bn: ModelNode = {
      kind: 'batchnorm',
      name: 'bn',
      inputs: ['x'],
      output: 'y',
      scale: c(1),
      bias: c(0),
      mean: c(0),
      variance: c(-1),
      epsilon: 1e-5,
    };
    expect(errorOf(net([bn])).message).toMatch(/bn.*variance/);
  });
});
