/**
 * Suite `relu`: the comparison-based protocols of CrypTFlow2 §3–4 on the real OT stack, one
 * thread per party, base OTs as their own op. Targets (C++ reference, 2^20 elements):
 * millionaire ℓ=32 7.21 s, 491.5 B; relu-ring ℓ=32 7.18 s, 539.5 B; ℓ=37 8.02 s, 596.5 B;
 * relu-field ℓ=32 13.44 s, 884.5 B; ℓ=37 14.44 s, 1001.0 B.
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import { OtPack } from '@secinfer/ot';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../src/field.js';
import { andShares } from '../src/protocols/and.js';
import { b2a } from '../src/protocols/b2a.js';
import { generateBitTriples } from '../src/protocols/bit-triples.js';
import { dreluRing } from '../src/protocols/drelu-ring.js';
import { millionaire } from '../src/protocols/millionaire.js';
import { mux } from '../src/protocols/mux.js';
import { reluField } from '../src/protocols/relu-field.js';
import { reluRing } from '../src/protocols/relu-ring.js';
import { otOptions, partyOf, randomBits, randomShares, setupParty } from './setup.js';

const DEFAULT_N = 1 << 20;

function op(name: string, body: (ctx: OpContext, n: number, ell: number) => Promise<void>) {
  return {
    name,
    async run(ctx: OpContext): Promise<OpReport> {
      const n = ctx.args.n ?? DEFAULT_N;
      const ell = ctx.args.ell ?? 32;
      await body(ctx, n, ell);
      return { n, ell };
    },
  };
}

export default defineSuite({
  name: 'relu',
  ops: [
    {
      name: 'base-ot',
      async run(ctx) {
        await ctx.measure(() => OtPack.setup(partyOf(ctx), ctx.channel, otOptions(ctx)));
        // One base-OT run of 128; the other three extensions are bootstrapped (see OtPack),
        // and with --ot silent both Ferret instances from them.
        return { n: 128 };
      },
    },
    op('millionaire', async (ctx, n, ell) => {
      const session = await setupParty(ctx);
      const x = randomShares(n, ell);
      await ctx.measure(() => millionaire(session, x, ell));
    }),
    op('drelu-ring', async (ctx, n, ell) => {
      const session = await setupParty(ctx);
      const x = randomShares(n, ell);
      await ctx.measure(() => dreluRing(session, x, ell));
    }),
    op('relu-ring', async (ctx, n, ell) => {
      const session = await setupParty(ctx);
      const x = randomShares(n, ell);
      await ctx.measure(() => reluRing(session, x, ell));
    }),
    op('relu-field', async (ctx, n, ell) => {
      // The HE backend's field for this ℓ: the C++ reference's plaintext prime.
      const f = field(ell === 37 ? FIELD_PRIME_37 : FIELD_PRIME_32);
      const session = await setupParty(ctx);
      const x = fieldRandom(f, n);
      await ctx.measure(() => reluField(session, x, f));
    }),
    op('mux', async (ctx, n, ell) => {
      const session = await setupParty(ctx);
      const [sel, x] = [randomBits(n), randomShares(n, ell)];
      await ctx.measure(() => mux(session, sel, x, ell));
    }),
    op('b2a', async (ctx, n, ell) => {
      const session = await setupParty(ctx);
      const bits = randomBits(n);
      await ctx.measure(() => b2a(session, bits, ell));
    }),
    op('and', async (ctx, n) => {
      const session = await setupParty(ctx);
      const [x, y] = [randomBits(n), randomBits(n)];
      await ctx.measure(async () => {
        const triples = await generateBitTriples(session, n);
        await andShares(session, x, y, triples);
      });
    }),
  ],
});
