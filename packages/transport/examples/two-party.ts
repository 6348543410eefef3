/**
 * Two parties over TCP, each in its own process, exchanging shares and reporting the cost.
 *   node --conditions=@secinfer/source --import tsx packages/transport/examples/two-party.ts server 9000
 *   node --conditions=@secinfer/source --import tsx packages/transport/examples/two-party.ts client 9000
 * (With a built package, import from '@secinfer/transport' and run with plain node.)
 */
import { type Channel, connect, handshake, listen } from '@secinfer/transport';

const [role, portArg] = process.argv.slice(2);
const port = Number(portArg ?? 9000);

async function open(): Promise<Channel> {
  if (role === 'server') {
    const listener = await listen({ port });
    console.log(`server: listening on 127.0.0.1:${port}`);
    const channel = await listener.accept();
    await listener.close();
    return channel;
  }
  if (role === 'client') return connect({ port });
  throw new Error('usage: two-party.ts server|client [port]');
}

const channel = await open();
// Both sides must agree on these, or both reject naming the field.
await handshake(channel, { version: '1', params: { ell: 32 } });

const mine = Uint32Array.from({ length: 4 }, (_, i) => (role === 'server' ? 10 : 20) + i);
await channel.phase('exchange', async () => {
  await channel.send(mine.slice());
  const theirs = await channel.recvArray(Uint32Array, mine.length, 'shares');
  console.log(`${role}: mine ${[...mine]}, theirs ${[...theirs]}`);
});
console.log(`${role}:`, channel.phases().get('exchange'));
await channel.close();
