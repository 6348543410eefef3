/**
 * Suite `he-linear`: CrypTFlow2's SCI_HE linear layers against the C++ reference's figures
 * (SEAL native, one thread per party). Session keys are made outside the timed section,
 * except in `he-keygen`, which times exactly the setup (keys and their bytes).
 * - conv-56x56x64-3x3-s2: 64 → 64 channels, 3×3, stride 2, pad 1 (28×28 outputs), coefficient
 *   encoding (the default); -slots: the paper's Gazelle packing; -s1: stride 1 (56×56 outputs).
 * - fc-1001x512: 512 inputs → 1001 outputs (weights [1001, 512]).
 * - bn-56x56x64: scale of 64 channels of 56×56.
 * - the same ops with -ring: over the ring Z_2^ℓ (Cheetah: t = 2^ℓ, coefficient encoding,
 *   ringHeParamsFor) instead of the field.
 * --ell 32 (default), 37 (or 41, ring only) picks ℓ; --threads T gives the SERVER T SEAL worker
 * threads (started during the untimed key setup); --link L simulates that link, and the ring
 * ops' geometries plan for its bandwidth (HeParams.linkBytesPerSecond).
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import { CLIENT, type Party, SERVER } from '@secinfer/mpc-primitives';
import { idealOtPair } from '@secinfer/mpc-primitives/ideal';
import { LINK_PRESETS } from '@secinfer/transport/core';
import {
  type ConvLayer,
  convOutputSize,
  type Encoding,
  type HeContext,
  HeSession,
  heBatchNorm,
  heContext,
  heConv2d,
  heFullyConnected,
  heParamsFor,
  ringHeParamsFor,
} from '../src/index.js';

const partyOf = (ctx: OpContext): Party => (ctx.role === 'server' ? SERVER : CLIENT);
const ellOf = (ctx: OpContext): 32 | 37 | 41 =>
  ctx.args.ell === 37 ? 37 : ctx.args.ell === 41 ? 41 : 32;
const paramsOf = (ctx: OpContext, ring: boolean) => {
  const ell = ellOf(ctx);
  if (ring)
    return ringHeParamsFor(
      ell,
      ctx.args.link === 'none'
        ? {}
        : { linkBytesPerSecond: LINK_PRESETS[ctx.args.link].bandwidthBytesPerSecond },
    );
  if (ell === 41) throw new RangeError('the field has no ℓ = 41 prime: use a -ring op');
  return heParamsFor(ell);
};

/** The layers use no OT, so the context's OT slot holds an unconnected ideal port. */
async function withSession(
  ctx: OpContext,
  ring: boolean,
  run: (session: HeSession, he: HeContext) => Promise<OpReport>,
): Promise<OpReport> {
  const party = { party: partyOf(ctx), channel: ctx.channel, ot: idealOtPair()[0] };
  const he = await heContext(party, paramsOf(ctx, ring), { threads: ctx.args.threads });
  try {
    return await run(he.he, he);
  } finally {
    he.he.dispose();
  }
}

const stats = (session: HeSession) => {
  const last = session.lastLayer!;
  return {
    inputCiphertexts: last.inputCiphertexts,
    outputCiphertexts: last.outputCiphertexts,
    floodBits: last.floodBits,
  };
};

/** 64 → 64 channels, 3×3, pad 1, on 56×56 (ResNet50's first stage), in one encoding. */
function convOp(name: string, stride: number, encoding: Encoding, ring = false) {
  return {
    name,
    threads: true,
    run: (ctx: OpContext) =>
      withSession(ctx, ring, async (session, he) => {
        const layer: ConvLayer = {
          batch: 1,
          inChannels: 64,
          height: 56,
          width: 56,
          outChannels: 64,
          kernel: [3, 3],
          strides: [stride, stride],
          pads: [1, 1, 1, 1],
        };
        const x = session.domain.random(64 * 56 * 56);
        const w = session.party === SERVER ? session.domain.random(64 * 64 * 9) : undefined;
        await ctx.measure(() => heConv2d(he, layer, x, w, { encoding }));
        const [oh, ow] = convOutputSize(layer);
        return { n: 64 * oh * ow, ell: ellOf(ctx), extra: stats(session) };
      }),
  };
}

export default defineSuite({
  name: 'he-linear',
  ops: [
    {
      name: 'he-keygen',
      run: async (ctx) => {
        const session = await ctx.measure(() =>
          HeSession.setup(partyOf(ctx), ctx.channel, paramsOf(ctx, false)),
        );
        session.dispose();
        return { n: 1, ell: ellOf(ctx) };
      },
    },
    convOp('conv-56x56x64-3x3-s2', 2, 'coefficients'),
    convOp('conv-56x56x64-3x3-s2-slots', 2, 'slots'),
    convOp('conv-56x56x64-3x3-s1', 1, 'coefficients'),
    convOp('conv-56x56x64-3x3-s1-slots', 1, 'slots'),
    convOp('conv-56x56x64-3x3-s2-ring', 2, 'coefficients', true),
    convOp('conv-56x56x64-3x3-s1-ring', 1, 'coefficients', true),
    {
      name: 'fc-1001x512',
      threads: true,
      run: (ctx) =>
        withSession(ctx, false, async (session, he) => {
          const layer = { batch: 1, inFeatures: 512, outFeatures: 1001 };
          const x = session.domain.random(512);
          const w = session.party === SERVER ? session.domain.random(1001 * 512) : undefined;
          await ctx.measure(() => heFullyConnected(he, layer, x, w));
          return { n: 1001, ell: ellOf(ctx), extra: stats(session) };
        }),
    },
    {
      name: 'bn-56x56x64',
      threads: true,
      run: (ctx) =>
        withSession(ctx, false, async (session, he) => {
          const layer = { batch: 1, channels: 64, spatial: 56 * 56 };
          const x = session.domain.random(64 * 56 * 56);
          const scale = session.party === SERVER ? session.domain.random(64) : undefined;
          await ctx.measure(() => heBatchNorm(he, layer, x, scale));
          return { n: 64 * 56 * 56, ell: ellOf(ctx), extra: stats(session) };
        }),
    },
  ],
});
