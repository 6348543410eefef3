/**
 * Suite `pool`: the pooling layers of the ImageNet networks on the real OT stack — SqueezeNet
 * 1.1's first maxpool (64 × 111 × 111, 3 × 3, stride 2), ResNet50's global average pool
 * (2048 × 7 × 7: 2048 divisions by 49 after the window sums), argmax over 1000 classes.
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import { argmax } from '../src/protocols/argmax.js';
import { divRing } from '../src/protocols/division.js';
import { maxpool, type PoolShape } from '../src/protocols/maxpool.js';
import { randomShares, setupParty } from './setup.js';

const SQUEEZENET_MAXPOOL: PoolShape = {
  channels: 64,
  height: 111,
  width: 111,
  kernel: [3, 3],
  stride: [2, 2],
};

function op(name: string, n: number, f: (ctx: OpContext, ell: number) => Promise<unknown>) {
  return {
    name,
    async run(ctx: OpContext): Promise<OpReport> {
      const ell = ctx.args.ell ?? 32;
      await f(ctx, ell);
      return { n, ell };
    },
  };
}

export default defineSuite({
  name: 'pool',
  ops: [
    op('maxpool', 64 * 55 * 55, async (ctx, ell) => {
      const session = await setupParty(ctx);
      const x = randomShares(64 * 111 * 111, ell);
      await ctx.measure(() => maxpool(session, x, SQUEEZENET_MAXPOOL, ell));
    }),
    op('avgpool', 2048, async (ctx, ell) => {
      const session = await setupParty(ctx);
      // The window sums are local additions of shares; the division by 49 is the protocol.
      const sums = randomShares(2048, ell);
      await ctx.measure(() => divRing(session, sums, ell, 49));
    }),
    op('argmax', 1000, async (ctx, ell) => {
      const session = await setupParty(ctx);
      const logits = randomShares(1000, ell);
      await ctx.measure(() => argmax(session, logits, ell));
    }),
  ],
});
