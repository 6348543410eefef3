/**
 * A two-party ReLU on the real OT stack, both parties in one process over an in-memory channel:
 *   node --conditions=@secinfer/source --import tsx packages/mpc-primitives/examples/relu.ts
 * (for two processes, open the channels with listen()/connect() from @secinfer/transport).
 */
import {
  CLIENT,
  type Party,
  partyContext,
  reluRing,
  ring,
  ringFromSigned,
  ringRevealTo,
  ringShare,
  ringToSigned,
  SERVER,
} from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport';

const r = ring(32);
const [x0, x1] = ringShare(r, ringFromSigned(r, [-5, 0, 7]));
const [serverChannel, clientChannel] = memoryPair();

async function party(p: Party, channel: Channel, share: Uint32Array) {
  const ctx = partyContext(await OtPack.setup(p, channel)); // base OTs, once
  const y = await reluRing(ctx, share, 32);
  return ringRevealTo(ctx, r, y, CLIENT); // only the client learns the result
}

const [, y] = await Promise.all([
  party(SERVER, serverChannel, x0),
  party(CLIENT, clientChannel, x1),
]);
console.log('ReLU([-5, 0, 7]) =', [...ringToSigned(r, y!)]);
