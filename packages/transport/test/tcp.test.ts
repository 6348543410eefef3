import net from 'node:net';
import { PassThrough } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Channel,
  ChannelClosedError,
  ConnectError,
  connect,
  encodeHeader,
  FrameKind,
  FrameTooLargeError,
  listen,
  MalformedFrameError,
  memoryPair,
  PeerAbortedError,
  PeerClosedError,
  simulateLink,
  type TcpListener,
  TimeoutError,
  type TransportOptions,
} from '../src/index.js';
import { adopt, FrameReader } from '../src/reader.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function tcpPair(options?: TransportOptions): Promise<[Channel, Channel]> {
  const listener = await listen({ port: 0 }, options);
  cleanups.push(() => listener.close());
  const [server, client] = await Promise.all([
    listener.accept(),
    connect({ port: listener.port }, options),
  ]);
  cleanups.push(
    () => server.close(),
    () => client.close(),
  );
  return [server, client];
}

/** A raw TCP peer that writes `bytes` to whoever connects, then (optionally) hangs up. */
async function rawPeer(bytes: Uint8Array, hangUp: boolean): Promise<number> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.write(bytes, () => {
      if (hangUp) socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return (server.address() as net.AddressInfo).port;
}

describe('TCP channel', () => {
  it('carries large messages intact, and typed arrays aligned', async () => {
    const [server, client] = await tcpPair();
    const big = new Uint8Array(48 * 2 ** 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = (i >>> 12) & 255;
    const words = Uint32Array.from({ length: 12345 }, (_, i) => i * 7919);
    const [, got] = await Promise.all([client.send(big), server.recv(big.length)]);
    // toEqual walks 48 Mi elements one by one; Buffer#equals is a memcmp.
    expect(Buffer.from(got.buffer, got.byteOffset, got.length).equals(big)).toBe(true);
    await client.send(words);
    expect(await server.recvArray(Uint32Array, words.length)).toEqual(words);
  });

  it('gives every message its own buffer, intact after later reads (large ones are read in place)', async () => {
    const [server, client] = await tcpPair();
    const lengths = [2 ** 20, 2 ** 20, 5, 2 ** 20, 70_000, 2 ** 20, 0, 2 ** 20, 3 * 2 ** 20];
    const sent = lengths.map((length, i) => new Uint8Array(length).fill(i + 1));
    const received = await Promise.all([
      ...sent.map((message) => client.send(message)),
      ...sent.map((message) => server.recv(message.length)),
    ]);
    const got = received.slice(sent.length) as Uint8Array[];
    expect(new Set(got.map((message) => message.buffer)).size).toBe(sent.length);
    got.forEach((message, i) => {
      expect(message.byteOffset).toBe(0);
      expect(Buffer.from(message.buffer, 0, message.length).equals(sent[i]!)).toBe(true);
    });
  });

  it('reads an accepted socket through data events where its handle is out of reach', async () => {
    const reader = new FrameReader(1024);
    const got: Uint8Array[] = [];
    reader.sink = { frames: (frames) => got.push(...frames.map((f) => f.payload)), malformed() {} };
    const stream = new PassThrough();
    expect(adopt(stream as unknown as net.Socket, reader)).toBe(stream);
    stream.resume(); // what the transport's start() does once the connection is accepted
    stream.write(Uint8Array.from([...encodeHeader(FrameKind.DATA, 2), 7, 8]));
    await new Promise(setImmediate);
    expect(got).toEqual([Uint8Array.of(7, 8)]);
  });

  it('names the peer address for logs (TCP and through a link), none in memory', async () => {
    const [server, client] = await tcpPair();
    expect(server.remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(client.remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(client.remoteAddress).not.toBe(server.remoteAddress);
    expect(simulateLink(server, 'lan').remoteAddress).toBe(server.remoteAddress);
    expect(memoryPair()[0].remoteAddress).toBeUndefined();
  });

  it('delivers plain Uint8Arrays, as the in-memory channel does (slice copies)', async () => {
    const [server, client] = await tcpPair();
    await client.send(new Uint8Array([1, 2, 3, 4]));
    const got = await server.recv();
    expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype);
    const copy = got.slice(1);
    copy[0] = 9;
    expect(Array.from(got)).toEqual([1, 2, 3, 4]);
  });

  it('keeps order over many small messages sent in one tick', async () => {
    const [server, client] = await tcpPair();
    const sends = Array.from({ length: 2000 }, (_, i) => client.send(Uint32Array.of(i)));
    await Promise.all(sends);
    for (let i = 0; i < 2000; i++) expect((await server.recvArray(Uint32Array, 1))[0]).toBe(i);
  });

  it('sends a small frame before the sender computes on, if it awaited the send', async () => {
    // The peer runs on its own thread, so it sees the bytes while this thread is busy.
    const peer = new Worker(
      `const net = require('node:net');
      const { parentPort } = require('node:worker_threads');
      const server = net.createServer((socket) => {
        socket.once('data', () => parentPort.postMessage(performance.timeOrigin + performance.now()));
      });
      server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));`,
      { eval: true },
    );
    cleanups.push(() => peer.terminate());
    const messages: number[] = [];
    const next = () =>
      new Promise<number>((resolve) => {
        if (messages.length) resolve(messages.shift()!);
        else peer.once('message', resolve);
      });
    const port = await next();
    const client = await connect({ port });
    cleanups.push(() => client.close());
    const arrived = next();
    const sent = performance.timeOrigin + performance.now();
    await client.send(new Uint8Array(64));
    // A round of computation with no real wait (only microtasks) before the next recv.
    const busyUntil = performance.now() + 400;
    while (performance.now() < busyUntil) await Promise.resolve();
    expect((await arrived) - sent).toBeLessThan(200);
  });

  it('counts exactly what the in-memory channel counts for the same exchange', async () => {
    const exchange = async (a: Channel, b: Channel) => {
      await Promise.all([a.send(new Uint8Array(1000)), b.send(new Uint8Array(24))]);
      await Promise.all([a.recv(24), b.recv(1000)]);
      await a.send(new Uint8Array(3));
      await b.recv(3);
      return [a.stats, b.stats];
    };
    const [server, client] = await tcpPair();
    const [ma, mb] = memoryPair();
    expect(await exchange(server, client)).toEqual(await exchange(ma, mb));
    expect(server.stats).toEqual({
      bytesSent: 1003,
      bytesReceived: 24,
      messagesSent: 2,
      messagesReceived: 1,
      rounds: 3,
    });
  });

  it('tells a clean close from a close mid-message', async () => {
    const [server, client] = await tcpPair();
    await client.close();
    await expect(server.recv()).rejects.toThrow(/closed the channel/);

    const header = encodeHeader(FrameKind.DATA, 100);
    const port = await rawPeer(Uint8Array.from([...header, 1, 2, 3]), true);
    const channel = await connect({ port });
    const error = await channel.recv().catch((e) => e);
    expect(error).toBeInstanceOf(PeerClosedError);
    expect(error.message).toMatch(/mid-message: received 3 of 100 bytes/);
  });

  it('tells how much of a large message arrived before the peer closed', async () => {
    const header = encodeHeader(FrameKind.DATA, 2 ** 20);
    const port = await rawPeer(Uint8Array.from([...header, ...new Uint8Array(300_000)]), true);
    const channel = await connect({ port });
    const error = await channel.recv().catch((e) => e);
    expect(error).toBeInstanceOf(PeerClosedError);
    expect(error.message).toMatch(/mid-message: received 300000 of 1048576 bytes/);
  });

  it('rejects an oversized frame from the peer and on send', async () => {
    const port = await rawPeer(encodeHeader(FrameKind.DATA, 2 ** 20 + 1), false);
    const channel = await connect({ port }, { maxFrameBytes: 2 ** 20 });
    await expect(channel.recv()).rejects.toBeInstanceOf(FrameTooLargeError);
    const [, client] = await tcpPair({ maxFrameBytes: 1024 });
    await expect(client.send(new Uint8Array(1025))).rejects.toBeInstanceOf(FrameTooLargeError);
  });

  it('rejects a malformed frame (not a secinfer peer)', async () => {
    const port = await rawPeer(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), false);
    const channel = await connect({ port });
    await expect(channel.recv()).rejects.toBeInstanceOf(MalformedFrameError);
  });

  it('reports a refused connection as ConnectError', async () => {
    const listener: TcpListener = await listen({ port: 0 });
    const port = listener.port;
    await listener.close();
    const error = await connect({ port }).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toMatch(/refused/);
  });

  it('times out a recv when the peer stays silent', async () => {
    const [server] = await tcpPair({ idleTimeoutMs: 100 });
    const started = performance.now();
    await expect(server.recv()).rejects.toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('passes an abort code (never a message) to the peer and refuses use afterwards', async () => {
    const [server, client] = await tcpPair();
    const pending = server.recv();
    client.abort('HANDSHAKE_MISMATCH');
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(PeerAbortedError);
    expect(error.reason).toBe('HANDSHAKE_MISMATCH');
    const [other, talkative] = await tcpPair();
    const second = other.recv();
    talkative.abort('a value reaches X = 2^17 in /home/me/input.npy');
    expect(((await second.catch((e) => e)) as PeerAbortedError).reason).toBe('INTERNAL');
    await expect(client.send(new Uint8Array(1))).rejects.toBeInstanceOf(ChannelClosedError);
  });

  it('applies backpressure: a sender waits while the receiver does not read', async () => {
    const [server, client] = await tcpPair({ receiveHighWaterMark: 2 ** 20 });
    const message = () => new Uint8Array(8 * 2 ** 20);
    const sends: Promise<void>[] = [];
    let settled = 0;
    for (let i = 0; i < 12; i++) sends.push(client.send(message()).then(() => void settled++));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBeLessThan(12); // 96 MiB did not all leave: the reader stopped pulling
    for (let i = 0; i < 12; i++) await server.recv(8 * 2 ** 20);
    await Promise.all(sends);
    expect(settled).toBe(12);
  });
});
