/**
 * Batch norm's multiplication on BFV (SCI's elemwise-prod-field.cpp): y[n, c, p] = scale[c]·
 * x[n, c, p], an elementwise product — one plaintext multiplication per ciphertext, no
 * rotation. The CLIENT's share is packed densely, N elements per ciphertext in NCHW order;
 * the SERVER multiplies each by the plaintext of the matching scales. The shift is public to
 * the server and added locally by the caller.
 */

import { type BnLayer, checkBnLayer } from '../cleartext.js';
import { SLOTS } from '../params.js';
import type { HeSession } from '../session.js';
import { type LinearPlan, multiplyAccumulate, slotNormBits } from './plan.js';

/** The batch-norm plan: element e of the layer sits in slot e mod N of ciphertext ⌊e / N⌋. */
export function bnPlan(session: HeSession, layer: BnLayer): LinearPlan {
  checkBnLayer(layer);
  const total = layer.batch * layer.channels * layer.spatial;
  const count = Math.ceil(total / SLOTS);
  const span = (index: number) => Math.min(SLOTS, total - index * SLOTS);
  return {
    encoding: 'slots',
    plaintextNormBits: slotNormBits(session),
    inputCiphertexts: count,
    outputCiphertexts: count,
    productsPerOutput: 1,
    outputLength: total,
    pack(x, index, slots) {
      slots.set(x.subarray(index * SLOTS, index * SLOTS + span(index)));
    },
    evaluate(s, inputs, scale, index, scope) {
      const slots = new Float64Array(SLOTS);
      for (let e = 0; e < span(index); e++) {
        const element = index * SLOTS + e;
        slots[e] = scale[Math.floor(element / layer.spatial) % layer.channels]!;
      }
      const product = multiplyAccumulate(s, null, inputs.ciphertext(index), slots, scope);
      if (product) s.evaluator.cipherTransformFromNtt(product, product);
      return product;
    },
    extract(slots, index, out) {
      out.set(slots.subarray(0, span(index)), index * SLOTS);
    },
    local: (x, scale) => session.domain.bn(layer, x, scale),
  };
}
