// ReLU/maxpool reordering: the nodes that only a product's value feeds and that can run on the
// untruncated value at 2s — maxpool and reshape (they commute with the floor shift), a
// residual add (its other operand joins at 2s) and a ReLU. The first ReLU of that chain moves
// to its end: max and ReLU commute and the pool has fewer outputs, and a truncation after a
// ReLU is the cheaper non-negative one. No add follows a ReLU (the sum could be negative).
import type { ModelNode } from '../../graph.js';
import { poolGeometryOf } from '../../kernels/pool.js';
import type { ThroughReluPlans } from './batchnorm-folding.js';
import { type Lowering, stepOf } from './lowering.js';
import { wideOperand } from './residual-scaleup.js';

/** Where a product's chain at 2s ends. */
export interface WideChain {
  /** The graph value the chain's last node computes. */
  readonly value: string;
  /** The step output holding it at 2s, after the moved ReLU if there is one. */
  readonly wide: string;
  /** Whether a ReLU ran last (the value is non-negative). */
  readonly relu: boolean;
}

/** Emits the chain after the product of graph value `value` (held at 2s in `wide`). */
export function emitWideChain(
  lowering: Lowering,
  plans: ThroughReluPlans,
  product: { value: string; wide: string },
): WideChain {
  const { emit, shape, soleReader } = lowering;
  let { value, wide: current } = product;
  let relu: ModelNode | undefined;
  for (let r = soleReader(value); r; r = soleReader(value)) {
    if (r.kind === 'relu') relu ??= r;
    else if (r.kind === 'maxpool') {
      const g = poolGeometryOf(r, shape(r.inputs[0]!), shape(r.output));
      emit({ ...stepOf(r, current, `${r.output}@2s`), kind: 'maxpool', geometry: g });
      current = `${r.output}@2s`;
    } else if (r.kind === 'flatten' || r.kind === 'reshape') {
      emit({ ...stepOf(r, current, `${r.output}@2s`), kind: 'reshape' });
      current = `${r.output}@2s`;
    } else if (r.kind === 'add' && !relu) {
      const other = wideOperand(lowering, plans, r, value);
      if (!other) break;
      const inputs = r.inputs[0] === value ? [current, other] : [other, current];
      emit({
        kind: 'add',
        name: r.name,
        node: r.name,
        inputs,
        output: `${r.output}@2s`,
        shapes: [shape(r.inputs[0]!), shape(r.inputs[1]!)],
        outShape: shape(r.output),
      });
      current = `${r.output}@2s`;
    } else break;
    lowering.done.add(r);
    value = r.output;
  }
  if (relu) {
    emit({ ...stepOf(relu, current, `${value}@2s+`), kind: 'relu' });
    current = `${value}@2s+`;
  }
  return { value, wide: current, relu: relu !== undefined };
}
