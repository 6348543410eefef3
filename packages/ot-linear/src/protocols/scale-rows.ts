/**
 * Row scaling, y[p][·] = w_p · X[p][·], with the scales w held by the server and X (rows ×
 * inner) additively shared: batch norm's per-channel multiplier, an elementwise product with
 * a diagonal matrix. As a dense matmul per channel it would be one call (and its rounds) per
 * plane; here every row is one group of ℓ OTs in a single vector-COT call, O(1) rounds:
 *
 *   OT p·ℓ + i: the server chooses with bit i of w_p, the client correlates with its row
 *   X1[p] (inner values, ℓ − i bits each), both accumulating 2^i·(…) into row p.
 *
 * The server adds w_p·X0[p] locally. Bytes: 16 B per OT of IKNP columns plus
 * rows·inner·Σ_{i<b}(ℓ − i) bits of correlations (b = ℓ, or the declared weight bits: a moved
 * batch norm's ±1 needs b = 2), as for a matmul with d1 = d2 = 1 per row.
 */
import { type PartyContext, ring, ringAdd, SERVER } from '@secinfer/mpc-primitives';
import { wordsPerValue } from '@secinfer/ot';
import {
  bitChoices,
  bitShifts,
  bitTargets,
  bitWidths,
  reduceAccumulator,
} from '../kernels/bits.js';
import { localMatmul } from '../kernels/matrix.js';
import { checkFitsSigned, checkVector, checkWeights, requireBits, requireEll } from '../shapes.js';
import { withNegated } from './cot-product.js';
import { checkParty, type WeightOptions } from './matmul.js';

/** X as `rows` rows of `inner` values. */
export interface RowScaleDims {
  rows: number;
  inner: number;
}

/**
 * This party's share of diag(w)·X. `x` is its share of X (rows × inner, Z_2^ℓ layout);
 * `scales` (one per row) is given by the server only; `weightBits` as for the matmul. Throws
 * OtLinearError before any I/O on a length, ℓ or weights mismatch.
 */
export async function scaleRowsServerWeights(
  ctx: PartyContext,
  dims: RowScaleDims,
  ell: number,
  x: Uint32Array,
  scales?: Uint32Array,
  options: WeightOptions = {},
): Promise<Uint32Array> {
  const { party, ot } = ctx;
  const what = 'scaleRowsServerWeights';
  requireEll(ell, what);
  checkParty(party, what);
  const { rows, inner } = dims;
  checkVector(x, rows * inner, ell, `${what}: x`);
  checkWeights(party === SERVER, scales, rows, ell, what);
  const bits = options.weightBits ?? ell;
  requireBits(bits, ell, what);
  if (scales) checkFitsSigned(scales, rows, ell, bits, what);
  const shape = { k: inner, ell, widths: bitWidths(rows, ell, bits) };
  const output = {
    acc: new Uint32Array(x.length),
    targets: bitTargets(rows, 1, bits),
    shifts: bitShifts(rows, bits),
  };
  if (party !== SERVER) {
    // OT p·bits + i carries row p, or row p of −X1 for the sign bit (see kernels/bits.ts).
    const negated = bits < ell;
    const carried = output.targets.map((p, t) => (negated && t % bits === bits - 1 ? p + rows : p));
    const deltas = negated ? withNegated(ring(ell), x) : x;
    await ot.sendVectorCorrelated(deltas, carried, shape, output);
    return reduceAccumulator(output.acc, ell);
  }
  const w = scales!;
  await ot.receiveVectorCorrelated(bitChoices(w, rows, ell, bits), shape, output);
  const wpv = wordsPerValue(ell);
  const local = new Uint32Array(x.length);
  for (let p = 0; p < rows; p++) {
    const row = x.subarray(p * inner * wpv, (p + 1) * inner * wpv);
    local.set(
      localMatmul(w.subarray(p * wpv, (p + 1) * wpv), row, 1, 1, inner, ell),
      p * inner * wpv,
    );
  }
  return ringAdd(ring(ell), local, reduceAccumulator(output.acc, ell));
}
