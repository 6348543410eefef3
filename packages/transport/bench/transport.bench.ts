/**
 * Suite `transport`: what a Channel costs against the raw socket it runs on.
 * - memory-1mib: 1 MiB messages through an in-memory pair (one process; the peer idles).
 * - tcp-1mib: 1 MiB messages client → server through a TCP Channel.
 * - bare-tcp-1mib: the same bytes through raw node:net sockets — the ceiling for tcp-1mib.
 * - tcp-pingpong: round trips of 1-byte messages (n = round trips).
 * Each transfer ends with a 1-byte acknowledgement so the clock stops on delivery, not on send.
 */
import net from 'node:net';
import { defineSuite, type OpContext } from '@secinfer/bench';
import { memoryPair } from '../src/index.js';

const MIB = 2 ** 20;
const DEFAULT_MESSAGES = 4096; // 4 GiB: over a second on loopback

async function streamMessages({ role, channel, args, measure }: OpContext) {
  const n = args.n ?? DEFAULT_MESSAGES;
  await measure(async () => {
    if (role === 'client') {
      for (let i = 0; i < n; i++) await channel.send(new Uint8Array(MIB));
      await channel.recv(1);
    } else {
      for (let i = 0; i < n; i++) await channel.recv(MIB);
      await channel.send(new Uint8Array(1));
    }
  });
  return { n };
}

export default defineSuite({
  name: 'transport',
  ops: [
    {
      name: 'memory-1mib',
      async run({ role, args, measure }) {
        const n = args.n ?? DEFAULT_MESSAGES;
        await measure(async () => {
          if (role === 'client') return;
          const [a, b] = memoryPair();
          const receiving = (async () => {
            for (let i = 0; i < n; i++) await b.recv(MIB);
          })();
          for (let i = 0; i < n; i++) await a.send(new Uint8Array(MIB));
          await receiving;
        });
        return { n, bytes: n * MIB };
      },
    },
    { name: 'tcp-1mib', run: streamMessages },
    {
      name: 'bare-tcp-1mib',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_MESSAGES;
        const total = n * MIB;
        // Setup: the server opens a raw socket and tells the client where, over the channel.
        let socket: net.Socket;
        let server: net.Server | undefined;
        if (role === 'server') {
          const accepted = new Promise<net.Socket>((resolve) => {
            server = net.createServer({ noDelay: true }, resolve);
          });
          await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
          await channel.send(Uint32Array.of((server!.address() as net.AddressInfo).port));
          socket = await accepted;
        } else {
          const [port] = await channel.recvArray(Uint32Array, 1);
          socket = net.connect({ port: port!, host: '127.0.0.1', noDelay: true });
          await new Promise((resolve) => socket.once('connect', resolve));
        }
        await measure(async () => {
          if (role === 'client') {
            for (let i = 0; i < n; i++) {
              if (!socket.write(new Uint8Array(MIB)))
                await new Promise((r) => socket.once('drain', r));
            }
            await new Promise((resolve) => socket.once('data', resolve));
          } else {
            let received = 0;
            await new Promise<void>((resolve) => {
              socket.on('data', (chunk: Buffer) => {
                received += chunk.length;
                if (received === total) resolve();
              });
            });
            socket.write(new Uint8Array(1));
          }
        });
        socket.destroy();
        server?.close();
        return { n, bytes: total + 1 };
      },
    },
    {
      name: 'tcp-pingpong',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? 10_000;
        const ping = new Uint8Array(1);
        await measure(async () => {
          for (let i = 0; i < n; i++) {
            if (role === 'client') {
              await channel.send(ping.slice());
              await channel.recv(1);
            } else {
              await channel.recv(1);
              await channel.send(ping.slice());
            }
          }
        });
        return { n };
      },
    },
  ],
});
