// Truncation placement: every linear step is followed by exactly one truncation by s, placed
// after the chain of nodes its value alone feeds that can run at 2s (see
// relu-maxpool-reordering.ts), so the result is the same integer as truncating first — one
// truncation per chain, and the non-negative kind when the chain ends in a ReLU.
import { emitProduct, type Linear, type ThroughReluPlans } from './batchnorm-folding.js';
import type { Lowering } from './lowering.js';
import { emitWideChain } from './relu-maxpool-reordering.js';

/** Emits a linear step, the chain after it at 2s and its truncation back to scale s. */
export function emitLinear(lowering: Lowering, plans: ThroughReluPlans, node: Linear): void {
  const product = emitProduct(lowering, plans, node);
  if (!product) return;
  const chain = emitWideChain(lowering, plans, product);
  lowering.emit({
    kind: 'trunc',
    name: `${node.name}.trunc`,
    node: node.name,
    inputs: [chain.wide],
    output: chain.value,
    bits: lowering.scale,
    nonNegative: chain.relu,
  });
}
