/**
 * A two-party convolution layer on the real OT stack, both parties in one process over an
 * in-memory channel: the server holds a 3 × 3 kernel (2 → 2 channels) and a bias, the client a
 * 1 × 2 × 4 × 4 input; the client learns the output, the server learns nothing.
 *   node --conditions=@secinfer/source --import tsx packages/ot-linear/examples/conv.ts
 * (for two processes, open the channels with listen()/connect() from @secinfer/transport).
 */
import {
  CLIENT,
  type Party,
  partyContext,
  ring,
  ringFromSigned,
  ringRevealTo,
  ringShare,
  ringToSigned,
  SERVER,
} from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import { addBias, type ConvLayer, conv2dServerWeights, convOutputSize } from '@secinfer/ot-linear';
import { type Channel, memoryPair } from '@secinfer/transport';

const ell = 32;
const r = ring(ell);
const layer: ConvLayer = {
  batch: 1,
  inChannels: 2,
  height: 4,
  width: 4,
  outChannels: 2,
  kernel: [3, 3],
  strides: [1, 1],
  pads: [1, 1, 1, 1],
};
const [oh, ow] = convOutputSize(layer);
// Fixed-point encoding is the caller's business (packages/nn); small integers here.
const input = ringFromSigned(
  r,
  Array.from({ length: 32 }, (_, i) => (i % 7) - 3),
);
const weights = ringFromSigned(
  r,
  Array.from({ length: 36 }, (_, i) => (i % 5) - 2),
);
const bias = ringFromSigned(r, [10, -10]);
const [x0, x1] = ringShare(r, input); // the client's input, shared (x0 goes to the server)
const [serverChannel, clientChannel] = memoryPair();

async function party(p: Party, channel: Channel, share: Uint32Array) {
  const ctx = partyContext(await OtPack.setup(p, channel)); // base OTs, once
  const isServer = p === SERVER;
  const y = await conv2dServerWeights(ctx, layer, ell, share, isServer ? weights : undefined);
  const shape = { batch: 1, channels: layer.outChannels, spatial: oh * ow };
  const z = addBias(p, ell, y, shape, isServer ? bias : undefined); // local
  return ringRevealTo(ctx, r, z, CLIENT); // only the client learns the result
}

const [, y] = await Promise.all([
  party(SERVER, serverChannel, x0),
  party(CLIENT, clientChannel, x1),
]);
console.log(`conv output [1, 2, ${oh}, ${ow}] =`, [...ringToSigned(r, y!)]);
