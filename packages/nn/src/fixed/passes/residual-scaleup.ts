// Residual scale-up (CrypTFlow2 §6.2's peephole): when a product's chain reaches a residual
// add, the add runs at 2s too, so a ResNet block ends in one truncation after its ReLU instead
// of a signed one per branch. The add's other operand joins at 2s: a value ready at s is
// lifted by 2^s (a local, exact step), or a second product that only this add reads is left
// untruncated.
import type { ModelNode } from '../../graph.js';
import { sizeOf } from '../../tensor.js';
import { emitProduct, type ThroughReluPlans } from './batchnorm-folding.js';
import type { Lowering } from './lowering.js';

/**
 * Emits the other operand of residual add `add` (whose input `value` is a wide product) at 2s
 * and returns its name, or returns undefined when it cannot join at 2s: the operands differ in
 * size, both are the same value, or the other is neither ready at s nor a conv/gemm product
 * whose result only this add reads and whose input is ready.
 */
export function wideOperand(
  lowering: Lowering,
  plans: ThroughReluPlans,
  add: ModelNode,
  value: string,
): string | undefined {
  const { shape, ready, done, soleReader } = lowering;
  const name = add.inputs[0] === value ? add.inputs[1]! : add.inputs[0]!;
  const size = sizeOf(shape(add.output));
  if (
    add.inputs[0] === add.inputs[1] ||
    sizeOf(shape(name)) !== size ||
    sizeOf(shape(value)) !== size
  )
    return undefined;
  if (ready.has(name)) {
    const lifted = `${name}@2s`;
    lowering.emit({
      kind: 'scaleup',
      name: `${add.name}.scaleup`,
      node: add.name,
      inputs: [name],
      output: lifted,
      bits: lowering.scale,
    });
    return lifted;
  }
  const producer = lowering.producerOf(name);
  if (
    (producer?.kind === 'conv' || producer?.kind === 'gemm') &&
    !done.has(producer) &&
    ready.has(producer.inputs[0]!)
  ) {
    // emitProduct folds a batch norm that is the product's only reader.
    const bn = soleReader(producer.output);
    const end = bn?.kind === 'batchnorm' ? bn.output : producer.output;
    if (end !== name || soleReader(end) !== add) return undefined;
    done.add(producer);
    return emitProduct(lowering, plans, producer)?.wide;
  }
  return undefined;
}
