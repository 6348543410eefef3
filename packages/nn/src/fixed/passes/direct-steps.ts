// The nodes no peephole takes: each becomes one step of its own kind at scale s, with the
// shapes and geometry the executors need (negative axes resolved against the input rank).
import type { ModelNode } from '../../graph.js';
import { poolGeometryOf } from '../../kernels/pool.js';
import { sizeOf } from '../../tensor.js';
import { type Lowering, quantise } from './lowering.js';

/** A node that is not a conv, gemm or batch norm. */
export type DirectNode = Exclude<ModelNode, { kind: 'conv' | 'gemm' | 'batchnorm' }>;

/** Emits the one step of `node` (a constant's value becomes its weights at scale s). */
export function emitDirectStep(lowering: Lowering, node: DirectNode): void {
  const { emit, shape } = lowering;
  const own = { name: node.name, node: node.name, inputs: node.inputs, output: node.output };
  switch (node.kind) {
    case 'relu':
      emit({ ...own, kind: 'relu' });
      break;
    case 'maxpool':
      emit({
        ...own,
        kind: 'maxpool',
        geometry: poolGeometryOf(node, shape(node.inputs[0]!), shape(node.output)),
      });
      break;
    case 'avgpool':
      emit({
        ...own,
        kind: 'avgpool',
        geometry: poolGeometryOf(node, shape(node.inputs[0]!), shape(node.output)),
        countIncludePad: node.countIncludePad,
      });
      break;
    case 'globalavgpool': {
      const s = shape(node.inputs[0]!);
      emit({ ...own, kind: 'globalavgpool', planes: s[0]! * s[1]!, planeSize: sizeOf(s.slice(2)) });
      break;
    }
    case 'add':
      emit({
        ...own,
        kind: 'add',
        shapes: [shape(node.inputs[0]!), shape(node.inputs[1]!)],
        outShape: shape(node.output),
      });
      break;
    case 'concat': {
      const rank = shape(node.inputs[0]!).length;
      emit({
        ...own,
        kind: 'concat',
        axis: node.axis < 0 ? node.axis + rank : node.axis,
        shapes: node.inputs.map(shape),
        outShape: shape(node.output),
      });
      break;
    }
    case 'flatten':
    case 'reshape':
      emit({ ...own, kind: 'reshape' });
      break;
    case 'argmax': {
      const s = shape(node.inputs[0]!);
      emit({
        ...own,
        kind: 'argmax',
        shape: s,
        axis: node.axis < 0 ? node.axis + s.length : node.axis,
        selectLastIndex: node.selectLastIndex,
      });
      break;
    }
    case 'constant':
      lowering.weights.set(node.name, { weight: quantise(node.value.data, lowering.scale) });
      emit({ ...own, kind: 'constant', size: node.value.data.length });
      break;
  }
}
