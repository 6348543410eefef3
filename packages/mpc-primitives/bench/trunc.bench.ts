/**
 * Suite `trunc`: CrypTFlow2 §5 on the real OT stack. Targets (C++ reference, 2^20 elements,
 * ℓ = 32, s = 12): trunc 6.65 s, 524.5 B; trunc-reduce 2.07 s, 163.5 B; div-pow2 ≤ 733 B.
 * trunc-approx(-nonneg): the opt-in one-bit-error variants, for comparison with Cheetah's.
 * Over Z_p (p the BFV prime of ℓ): trunc-field, and div-field-pow2 (the general division the
 * HE backend used before) for comparison.
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../src/field.js';
import { divRing } from '../src/protocols/division.js';
import { divField } from '../src/protocols/division-field.js';
import { trunc, truncNonNegative, truncReduce } from '../src/protocols/truncation.js';
import {
  truncApproximate,
  truncApproximateNonNegative,
} from '../src/protocols/truncation-approximate.js';
import { truncField, truncFieldNonNegative } from '../src/protocols/truncation-field.js';
import { randomShares, setupParty } from './setup.js';

const SHIFT = 12;

function op(name: string, f: typeof trunc) {
  return {
    name,
    async run(ctx: OpContext): Promise<OpReport> {
      const n = ctx.args.n ?? 1 << 20;
      const ell = ctx.args.ell ?? 32;
      const session = await setupParty(ctx);
      const x = randomShares(n, ell);
      await ctx.measure(() => f(session, x, ell, SHIFT));
      return { n, ell, extra: { s: SHIFT } };
    },
  };
}

function fieldOp(name: string, f: typeof truncField) {
  return {
    name,
    async run(ctx: OpContext): Promise<OpReport> {
      const n = ctx.args.n ?? 1 << 20;
      const ell = ctx.args.ell ?? 32;
      const fp = field(ell === 37 ? FIELD_PRIME_37 : FIELD_PRIME_32);
      const session = await setupParty(ctx);
      const x = fieldRandom(fp, n);
      await ctx.measure(() => f(session, x, fp, SHIFT));
      return { n, ell, extra: { s: SHIFT, p: fp.n } };
    },
  };
}

export default defineSuite({
  name: 'trunc',
  ops: [
    op('trunc', trunc),
    op('trunc-reduce', truncReduce),
    op('trunc-nonneg', truncNonNegative),
    // Opt-in, ≤ 1 LSB low (Cheetah's approximate truncation): never what the networks use by default.
    op('trunc-approx', truncApproximate),
    op('trunc-approx-nonneg', truncApproximateNonNegative),
    op('div-pow2', (session, x, ell, s) => divRing(session, x, ell, 2 ** s)),
    fieldOp('trunc-field', truncField),
    // Random shares stand for a non-negative value: the cost does not depend on the values.
    fieldOp('trunc-field-nonneg', truncFieldNonNegative),
    fieldOp('div-field-pow2', (session, x, fp, s) => divField(session, x, fp, 2 ** s)),
  ],
});
