// The graph validator: names, wiring, weights and shapes are checked once, up front, and the
// result (nodes in topological order and every value's shape) is what executors walk.
import { ModelError } from './errors.js';
import type { ModelGraph, ModelNode } from './graph.js';
import { inferNodeShape } from './shapes.js';
import { formatShape, sizeOf, type Tensor } from './tensor.js';

/** A validated graph: nodes in an executable order and the shape of every value. */
export interface ValidatedGraph {
  readonly graph: ModelGraph;
  readonly order: readonly ModelNode[];
  readonly shapes: ReadonlyMap<string, readonly number[]>;
}

function nodeTensors(node: ModelNode): [string, Tensor | undefined][] {
  switch (node.kind) {
    case 'conv':
    case 'gemm':
      return [
        ['weight', node.weight],
        ['bias', node.bias],
      ];
    case 'batchnorm':
      return [
        ['scale', node.scale],
        ['bias', node.bias],
        ['mean', node.mean],
        ['variance', node.variance],
      ];
    case 'constant':
      return [['value', node.value]];
    default:
      return [];
  }
}

function checkTensor(node: ModelNode, what: string, t: Tensor) {
  if (!t.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ModelError(node.name, `${what} has an invalid shape ${formatShape(t.shape)}`);
  }
  if (t.data.length !== sizeOf(t.shape)) {
    throw new ModelError(
      node.name,
      `${what} has ${t.data.length} elements but shape ${formatShape(t.shape)}`,
    );
  }
}

/**
 * Checks a graph and infers every shape. Throws a `ModelError` naming the node at fault:
 * duplicate names, an input nobody produces, a cycle, weights that do not match their shape
 * or their input, an output that is never produced.
 */
export function validateGraph(graph: ModelGraph): ValidatedGraph {
  const producer = new Map<string, ModelNode | 'input'>();
  for (const input of graph.inputs) {
    if (producer.has(input.name)) throw new ModelError(input.name, 'duplicate graph input');
    if (!input.shape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new ModelError(
        input.name,
        `graph input has an invalid shape ${formatShape(input.shape)}`,
      );
    }
    producer.set(input.name, 'input');
  }
  const names = new Set<string>();
  for (const node of graph.nodes) {
    if (names.has(node.name)) throw new ModelError(node.name, 'duplicate node name');
    names.add(node.name);
    if (producer.has(node.output)) {
      throw new ModelError(node.name, `value '${node.output}' is already produced elsewhere`);
    }
    producer.set(node.output, node);
    for (const [what, t] of nodeTensors(node)) if (t) checkTensor(node, what, t);
    if (node.kind === 'batchnorm' && node.variance.data.some((v) => !(v + node.epsilon > 0))) {
      throw new ModelError(node.name, 'variance + epsilon must be positive');
    }
  }
  for (const node of graph.nodes) {
    for (const i of node.inputs) {
      if (!producer.has(i))
        throw new ModelError(node.name, `input '${i}' is not produced by any node or graph input`);
    }
  }

  // Depth-first topological sort; a value met again while on the stack closes a cycle.
  const order: ModelNode[] = [];
  const state = new Map<ModelNode, 'visiting' | 'done'>();
  const visit = (node: ModelNode) => {
    const s = state.get(node);
    if (s === 'done') return;
    if (s === 'visiting')
      throw new ModelError(node.name, 'the graph has a cycle through this node');
    state.set(node, 'visiting');
    for (const i of node.inputs) {
      const p = producer.get(i);
      if (p && p !== 'input') visit(p);
    }
    state.set(node, 'done');
    order.push(node);
  };
  for (const node of graph.nodes) visit(node);

  const shapes = new Map<string, readonly number[]>();
  for (const input of graph.inputs) shapes.set(input.name, input.shape);
  for (const node of order) {
    shapes.set(
      node.output,
      inferNodeShape(
        node,
        node.inputs.map((i) => shapes.get(i)!),
      ),
    );
  }
  if (graph.outputs.length === 0) throw new ModelError('(graph)', 'the graph has no outputs');
  for (const o of graph.outputs) {
    if (!shapes.has(o)) throw new ModelError(o, 'graph output is not produced by any node');
  }
  return { graph, order, shapes };
}
