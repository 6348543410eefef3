// The state every compiler pass shares while the graph is lowered to fixed-point steps in one
// walk: the steps and weights emitted so far, the nodes already taken by a pass, the graph
// values ready at scale s, and the graph queries the peepholes ask (sole reader, producer).
// The passes are separate files, but they run interleaved in that walk: a pass decides what
// the nodes after a product become, and the steps must come out in execution order.
import type { ModelNode } from '../../graph.js';
import type { FloatArray } from '../../tensor.js';
import type { ValidatedGraph } from '../../validate.js';
import type { FixedStep, StepWeights } from '../program.js';

/** The lowering walk's state and the graph queries of the passes. */
export interface Lowering {
  /** Fractional bits s. */
  readonly scale: number;
  readonly steps: FixedStep[];
  readonly weights: Map<string, StepWeights>;
  /** Nodes already lowered (by the walk or absorbed into an earlier step by a pass). */
  readonly done: Set<ModelNode>;
  /** Graph values computed so far at scale s (wide intermediates are named `…@2s`). */
  readonly ready: Set<string>;
  /** Appends a step; a graph value (no `@` in its name) becomes ready. */
  emit(step: FixedStep): void;
  /** Shape of a graph value. */
  shape(value: string): readonly number[];
  /** The only node reading `value`, unless the value is also a graph output. */
  soleReader(value: string): ModelNode | undefined;
  /** The node computing `value`, through a batch norm it reads (conv → BN folds). */
  producerOf(value: string): ModelNode | undefined;
}

/** A fresh lowering of `model` at scale s: no steps, the graph inputs ready. */
export function createLowering(model: ValidatedGraph, scale: number): Lowering {
  const { graph, order, shapes } = model;
  const outputs = new Set(graph.outputs);
  const readers = new Map<string, ModelNode[]>();
  for (const node of order) {
    for (const v of node.inputs) readers.set(v, [...(readers.get(v) ?? []), node]);
  }
  const producers = new Map(order.map((node) => [node.output, node]));
  const steps: FixedStep[] = [];
  const ready = new Set(graph.inputs.map((i) => i.name));
  return {
    scale,
    steps,
    weights: new Map(),
    done: new Set(),
    ready,
    emit(step) {
      steps.push(step);
      if (!step.output.includes('@')) ready.add(step.output);
    },
    shape: (value) => shapes.get(value)!,
    soleReader(value) {
      const r = readers.get(value);
      return r?.length === 1 && !outputs.has(value) ? r[0] : undefined;
    },
    producerOf(value) {
      const node = producers.get(value);
      return node?.kind === 'batchnorm' ? producers.get(node.inputs[0]!) : node;
    },
  };
}

/** round(v · 2^bits) of every value (round half up). */
export function quantise(values: FloatArray, bits: number): Float64Array {
  const factor = 2 ** bits;
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(values[i]! * factor);
  return out;
}

/** The name, node and one input/output of a step implementing `node`. */
export function stepOf(node: ModelNode, input: string, output: string) {
  return { name: node.name, node: node.name, inputs: [input], output };
}
