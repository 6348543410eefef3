/**
 * Suite `ot-linear`: the linear layers on vector correlated OT, one thread per party, base OTs
 * outside the timed section; n = output elements, bytes = both directions. Targets (C++
 * reference, ℓ = 32, this machine kind): matmul-1001x512x1 0.339 s, 34.1 MB;
 * matmul-128x128x128 0.906 s, 146.8 MB. The two convolutions are reported, not targeted.
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import {
  CLIENT,
  type PartyContext,
  partyContext,
  ring,
  ringRandom,
  SERVER,
} from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import {
  type ConvLayer,
  conv2dServerWeights,
  convOutputSize,
  matmulServerWeights,
} from '../src/index.js';

interface Setup {
  session: PartyContext;
  ell: number;
}

async function setup(ctx: OpContext): Promise<Setup> {
  const pack = await OtPack.setup(ctx.role === 'server' ? SERVER : CLIENT, ctx.channel);
  return { session: partyContext(pack), ell: ctx.args.ell ?? 32 };
}

function matmulOp(d1: number, d2: number, d3: number) {
  return {
    name: `matmul-${d1}x${d2}x${d3}`,
    async run(ctx: OpContext): Promise<OpReport> {
      const { session, ell } = await setup(ctx);
      const { party } = session;
      const r = ring(ell);
      const x = ringRandom(r, d2 * d3);
      const w = party === SERVER ? ringRandom(r, d1 * d2) : undefined;
      await ctx.measure(() => matmulServerWeights(session, { d1, d2, d3 }, ell, x, w));
      return { n: d1 * d3, ell };
    },
  };
}

function convOp(name: string, layer: ConvLayer) {
  return {
    name,
    async run(ctx: OpContext): Promise<OpReport> {
      const { session, ell } = await setup(ctx);
      const { party } = session;
      const r = ring(ell);
      const [kh, kw] = layer.kernel;
      const x = ringRandom(r, layer.batch * layer.inChannels * layer.height * layer.width);
      const w =
        party === SERVER
          ? ringRandom(r, layer.outChannels * layer.inChannels * kh * kw)
          : undefined;
      await ctx.measure(() => conv2dServerWeights(session, layer, ell, x, w));
      const [oh, ow] = convOutputSize(layer);
      return { n: layer.batch * layer.outChannels * oh * ow, ell };
    },
  };
}

export default defineSuite({
  name: 'ot-linear',
  ops: [
    matmulOp(1001, 512, 1),
    matmulOp(128, 128, 128),
    convOp('conv-squeezenet-conv1', {
      batch: 1,
      inChannels: 3,
      height: 224,
      width: 224,
      outChannels: 64,
      kernel: [3, 3],
      strides: [2, 2],
      pads: [0, 0, 0, 0],
    }),
    convOp('conv-resnet50-1x1', {
      batch: 1,
      inChannels: 64,
      height: 56,
      width: 56,
      outChannels: 256,
      kernel: [1, 1],
      strides: [1, 1],
      pads: [0, 0, 0, 0],
    }),
  ],
});
