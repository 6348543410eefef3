// WebSocket channels: the behaviour a TCP channel has, tested on both transports side by side
// (counters equal to the in-memory channel's, large messages, order, handshake mismatch, peer
// close and abort codes as typed errors, backpressure); then what only a WebSocket peer can do
// wrong (text, oversized messages), wss with a pinned certificate, and the listener's limits.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { selfSigned } from '@secinfer/test-certs';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  type Channel,
  ChannelClosedError,
  ConnectError,
  connect,
  connectWebSocket,
  FrameTooLargeError,
  HandshakeError,
  handshake,
  type Listener,
  type ListenOptions,
  listen,
  listenWebSocket,
  MalformedFrameError,
  memoryPair,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  type TransportOptions,
} from '../src/index.js';
import {
  connectWebSocket as connectFromBrowser,
  type WebSocketConstructor,
} from '../src/websocket.js';

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const OFF: ListenOptions = { maxPending: 0, maxPerAddress: 0, pendingTimeoutMs: 0 };

/** A listener of either kind, and how a client reaches it. */
interface Endpoint {
  readonly port: number;
  readonly pending: number;
  readonly refused: number;
  accept(): Promise<Channel>;
  close(): Promise<void>;
}

const transports = {
  tcp: {
    listen: (options?: ListenOptions) => listen({ port: 0 }, options) as Promise<Endpoint>,
    connect: (port: number, options?: TransportOptions) => connect({ port }, options),
  },
  websocket: {
    listen: (options?: ListenOptions) => listenWebSocket({ port: 0 }, options) as Promise<Endpoint>,
    connect: (port: number, options?: TransportOptions) =>
      connectWebSocket(`ws://127.0.0.1:${port}`, options),
  },
};

for (const [name, transport] of Object.entries(transports)) {
  async function pair(options?: TransportOptions): Promise<[Channel, Channel]> {
    const listener = await transport.listen(options);
    cleanups.push(() => listener.close());
    const [server, client] = await Promise.all([
      listener.accept(),
      transport.connect(listener.port, options),
    ]);
    cleanups.push(
      () => server.close(),
      () => client.close(),
    );
    return [server, client];
  }

  describe(`${name} channel`, () => {
    it('counts exactly what the in-memory channel counts for the same exchange', async () => {
      const exchange = async (a: Channel, b: Channel) => {
        await Promise.all([a.send(new Uint8Array(1000)), b.send(new Uint8Array(24))]);
        await Promise.all([a.recv(24), b.recv(1000)]);
        await a.phase('last', () => a.send(new Uint8Array(3)));
        await b.recv(3);
        return [a.stats, b.stats, a.phases()];
      };
      const [server, client] = await pair();
      const [ma, mb] = memoryPair();
      expect(await exchange(server, client)).toEqual(await exchange(ma, mb));
      expect(server.stats).toEqual({
        bytesSent: 1000 + 3,
        bytesReceived: 24,
        messagesSent: 2,
        messagesReceived: 1,
        rounds: 3,
      });
    });

    it('carries large messages intact, typed arrays aligned, many small ones in order', async () => {
      const [server, client] = await pair();
      const big = new Uint8Array(24 * 2 ** 20);
      for (let i = 0; i < big.length; i += 4096) big[i] = (i >>> 12) & 255;
      const [, got] = await Promise.all([client.send(big), server.recv(big.length)]);
      expect(Buffer.from(got.buffer, got.byteOffset, got.length).equals(big)).toBe(true);
      expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype);
      const words = Uint32Array.from({ length: 12345 }, (_, i) => i * 7919);
      await server.send(words);
      expect(await client.recvArray(Uint32Array, words.length)).toEqual(words);
      await Promise.all(Array.from({ length: 500 }, (_, i) => client.send(Uint32Array.of(i))));
      for (let i = 0; i < 500; i++) expect((await server.recvArray(Uint32Array, 1))[0]).toBe(i);
      await client.send(new Uint8Array(0));
      expect((await server.recv(0)).length).toBe(0);
    });

    it('rejects a handshake mismatch on both sides, naming the field', async () => {
      const [server, client] = await pair();
      const [a, b] = await Promise.all([
        handshake(server, { version: '1', params: { ell: 32 } }).catch((e) => e),
        handshake(client, { version: '1', params: { ell: 37 } }).catch((e) => e),
      ]);
      for (const error of [a, b]) {
        expect(error).toBeInstanceOf(HandshakeError);
        expect(error.field).toBe('ell');
      }
    });

    it('reports a peer that closed as PeerClosedError, and use after close as ChannelClosedError', async () => {
      const [server, client] = await pair();
      await client.close();
      const error = await server.recv().catch((e) => e);
      expect(error).toBeInstanceOf(PeerClosedError);
      expect(error.message).toMatch(/closed the channel/);
      await expect(client.send(new Uint8Array(1))).rejects.toBeInstanceOf(ChannelClosedError);
    });

    it('passes an abort code (never a message) to the peer', async () => {
      const [server, client] = await pair();
      const pending = server.recv();
      client.abort('UNEXPECTED_LENGTH');
      const error = await pending.catch((e) => e);
      expect(error).toBeInstanceOf(PeerAbortedError);
      expect(error.reason).toBe('UNEXPECTED_LENGTH');
      const [other, talkative] = await pair();
      const second = other.recv();
      talkative.abort('a value reaches X = 2^17 in /home/me/input.npy');
      expect(((await second.catch((e) => e)) as PeerAbortedError).reason).toBe('INTERNAL');
    });

    it('refuses to send over maxFrameBytes and times out a silent peer', async () => {
      const [server, client] = await pair({ maxFrameBytes: 1024, idleTimeoutMs: 150 });
      await expect(client.send(new Uint8Array(1025))).rejects.toBeInstanceOf(FrameTooLargeError);
      const started = performance.now();
      await expect(server.recv()).rejects.toBeInstanceOf(TimeoutError);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('applies backpressure: a sender waits while the receiver does not read', async () => {
      const [server, client] = await pair({ receiveHighWaterMark: 2 ** 20 });
      const sends: Promise<void>[] = [];
      let settled = 0;
      for (let i = 0; i < 12; i++)
        sends.push(client.send(new Uint8Array(8 * 2 ** 20)).then(() => void settled++));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBeLessThan(12);
      for (let i = 0; i < 12; i++) await server.recv(8 * 2 ** 20);
      await Promise.all(sends);
      expect(settled).toBe(12);
    });

    it('ends a connection that does not complete its handshake in time, and not one that did', async () => {
      const listener = await transport.listen({ ...OFF, handshakeTimeoutMs: 300 });
      cleanups.push(() => listener.close());
      const pending = transport.connect(listener.port);
      const silent = await listener.accept();
      const error = await silent.recv().catch((e) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      (await pending).abort('TIMEOUT');
      const next = transport.connect(listener.port);
      const server = await listener.accept();
      const client = await next;
      await Promise.all([handshake(server, { version: 'v' }), handshake(client, { version: 'v' })]);
      await new Promise((r) => setTimeout(r, 500));
      await client.send(Uint8Array.of(1));
      expect(await server.recv(1)).toEqual(Uint8Array.of(1));
      await Promise.all([client.close(), server.close()]);
    });

    it('refuses a first frame over handshakeFrameBytes, then allows maxFrameBytes', async () => {
      const listener = await transport.listen({ ...OFF, handshakeFrameBytes: 64 });
      cleanups.push(() => listener.close());
      const big = transport.connect(listener.port);
      const server = await listener.accept();
      const client = await big;
      await client.send(new Uint8Array(65));
      const error = await server.recv().catch((e) => e);
      expect(error).toBeInstanceOf(FrameTooLargeError);
      expect(error.maxFrameBytes).toBe(64);
      const ok = transport.connect(listener.port);
      const server2 = await listener.accept();
      const client2 = await ok;
      await client2.send(new Uint8Array(64));
      await client2.send(new Uint8Array(10_000));
      expect((await server2.recv()).length).toBe(64);
      expect((await server2.recv()).length).toBe(10_000);
      await Promise.all([client.close(), client2.close(), server2.close()]);
    });

    it('ends a session at its deadline even while bytes flow', async () => {
      const listener = await transport.listen({ ...OFF, sessionDeadlineMs: 400 });
      cleanups.push(() => listener.close());
      const pending = transport.connect(listener.port);
      const server = await listener.accept();
      const client = await pending;
      const beat = setInterval(() => void client.send(new Uint8Array(16)).catch(() => {}), 50);
      const started = performance.now();
      let error: unknown;
      try {
        for (;;) await server.recv();
      } catch (e) {
        error = e;
      }
      clearInterval(beat);
      expect(error).toBeInstanceOf(TimeoutError);
      expect(performance.now() - started).toBeLessThan(1500);
    });

    it('queues connections beyond accept() paused, up to maxPending, each for pendingTimeoutMs', async () => {
      const listener = await transport.listen({ ...OFF, maxPending: 2, pendingTimeoutMs: 400 });
      cleanups.push(() => listener.close());
      const clients = await Promise.all(
        Array.from({ length: 4 }, () =>
          transport.connect(listener.port).then(
            (channel) => channel,
            (error) => error as Error,
          ),
        ),
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(listener.pending).toBe(2);
      expect(listener.refused).toBe(2);
      // The queued ones read nothing until accept(): then one finds its client's byte waiting.
      const queued = clients.filter((c): c is Channel => !(c instanceof Error));
      await Promise.all(queued.map((c, i) => c.send(Uint8Array.of(i)).catch(() => {})));
      const server = await listener.accept();
      expect((await server.recv(1))[0]).toBeLessThan(queued.length);
      await new Promise((r) => setTimeout(r, 500));
      expect(listener.pending).toBe(0);
      await Promise.all([server.close(), ...queued.map((c) => c.close())]);
    });
  });
}

/** A raw WebSocket peer: accepts one connection on a secinfer listener and does `act` with it. */
async function rawClient(port: number): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  cleanups.push(() => socket.terminate());
  return socket;
}

describe('WebSocket specifics', () => {
  it('keeps the browser entry free of Node modules and packages, through every import', () => {
    const seen = new Set<string>();
    const outside: string[] = [];
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, 'utf8');
      for (const [, specifier] of source.matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)) {
        if (specifier!.startsWith('.')) visit(new URL(specifier!.replace(/\.js$/, '.ts'), url));
        else outside.push(`${url.pathname.split('/').pop()}: ${specifier}`);
      }
    };
    visit(new URL('../src/websocket.ts', import.meta.url));
    expect(seen.size).toBeGreaterThan(5);
    expect(outside).toEqual([]);
  });

  it('shares one queue between a TCP and a WebSocket listener: one line, limits counted once', async () => {
    const tcp = await listen({ port: 0 }, { ...OFF, maxPending: 2, maxPerAddress: 3 });
    const ws = await listenWebSocket({ port: 0 }, { ...OFF, shareQueueWith: tcp });
    cleanups.push(
      () => tcp.close(),
      () => ws.close(),
    );
    const url = `ws://127.0.0.1:${ws.port}`;
    const settle = () => new Promise((r) => setTimeout(r, 100));
    const a = await connectWebSocket(url);
    await settle();
    const b = await connect({ port: tcp.port });
    await settle();
    expect([tcp.pending, ws.pending]).toEqual([2, 2]);
    // The queue is full for both ports.
    expect(await connectWebSocket(url).catch((e) => e)).toBeInstanceOf(ConnectError);
    expect([tcp.refused, ws.refused]).toEqual([1, 1]);
    // Either listener hands out the next connection in arrival order, of either kind.
    const first = await tcp.accept();
    const second = await ws.accept();
    await Promise.all([a.send(Uint8Array.of(1)), b.send(Uint8Array.of(2))]);
    expect(await first.recv(1)).toEqual(Uint8Array.of(1));
    expect(await second.recv(1)).toEqual(Uint8Array.of(2));
    await settle();
    // Three open connections from 127.0.0.1 over both ports: a fourth is refused on either.
    const c = await connect({ port: tcp.port });
    await settle();
    expect(await connectWebSocket(url).catch((e) => e)).toBeInstanceOf(ConnectError);
    expect(tcp.refused).toBe(2);
    cleanups.push(() => c.close()); // queued, unread: it closes once the listener does
    const stranger = { port: 1 } as unknown as Listener;
    await expect(listen({ port: 0 }, { shareQueueWith: stranger })).rejects.toThrow(TypeError);
    await Promise.all([a, b, first, second].map((channel) => channel.close()));
  });

  it('puts each message in one WebSocket frame: payload + 2, 4 or 10 bytes of length + 4 of mask', async () => {
    const listener = await listenWebSocket({ port: 0 }, OFF);
    cleanups.push(() => listener.close());
    const [server, client] = await Promise.all([
      listener.accept(),
      connectWebSocket(`ws://127.0.0.1:${listener.port}`),
    ]);
    cleanups.push(() => client.close());
    let wire = 0;
    const transport = server.transport as unknown as { bytesArrived(bytes: number): void };
    const counted = transport.bytesArrived.bind(transport);
    transport.bytesArrived = (bytes) => {
      wire += bytes;
      counted(bytes);
    };
    const lengths = [0, 125, 126, 65_535, 65_536, 300_000];
    for (const length of lengths) await client.send(new Uint8Array(length));
    for (const length of lengths) await server.recv(length);
    const header = (n: number) => (n <= 125 ? 2 : n <= 65_535 ? 4 : 10) + 4;
    const payload = lengths.reduce((sum, n) => sum + n, 0);
    expect(wire).toBe(payload + lengths.reduce((sum, n) => sum + header(n), 0));
    expect(server.stats.bytesReceived).toBe(payload);
  });

  it('rejects a text message and an oversized message from a peer as typed errors', async () => {
    const listener = await listenWebSocket({ port: 0 }, { ...OFF, maxFrameBytes: 1024 });
    cleanups.push(() => listener.close());
    const text = await rawClient(listener.port);
    const server = await listener.accept();
    text.send('GET / HTTP/1.1');
    await expect(server.recv()).rejects.toBeInstanceOf(MalformedFrameError);
    const oversized = await rawClient(listener.port);
    const server2 = await listener.accept();
    oversized.send(new Uint8Array(1025));
    const error = await server2.recv().catch((e) => e);
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error.maxFrameBytes).toBe(1024);
  });

  it('tells a peer that vanished mid-session from one that closed', async () => {
    const listener = await listenWebSocket({ port: 0 }, OFF);
    cleanups.push(() => listener.close());
    const raw = await rawClient(listener.port);
    const server = await listener.accept();
    raw.terminate();
    const error = await server.recv().catch((e) => e);
    expect(error).toBeInstanceOf(PeerClosedError);
    expect(error.message).toMatch(/lost \(WebSocket close code 1006\)/);
  });

  it('drops a connection whose upgrade request stalls, within the handshake timeout', async () => {
    const listener = await listenWebSocket({ port: 0 }, { ...OFF, handshakeTimeoutMs: 500 });
    cleanups.push(() => listener.close());
    const socket = net.connect({ port: listener.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    const started = performance.now();
    socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    socket.resume();
    await new Promise((resolve) => socket.once('close', resolve));
    expect(performance.now() - started).toBeLessThan(2500);
    expect(listener.pending).toBe(0);
  });

  it('answers a plain HTTP request with 426 and a refused port with ConnectError', async () => {
    const listener = await listenWebSocket({ port: 0 }, OFF);
    const response = await fetch(`http://127.0.0.1:${listener.port}/`);
    expect(response.status).toBe(426);
    const port = listener.port;
    await listener.close();
    const error = await connectWebSocket(`ws://127.0.0.1:${port}`).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toMatch(/refused/);
  });

  it('hands plain HTTP requests to onRequest, while upgrades still reach accept()', async () => {
    const listener = await listenWebSocket(
      { port: 0 },
      {
        ...OFF,
        onRequest: (request, response) => {
          response.writeHead(200, { 'content-type': 'text/plain' });
          response.end(`page at ${request.url}`);
        },
      },
    );
    cleanups.push(() => listener.close());
    const response = await fetch(`http://127.0.0.1:${listener.port}/index.html`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('page at /index.html');
    const [server, client] = await Promise.all([
      listener.accept(),
      connectWebSocket(`ws://127.0.0.1:${listener.port}`),
    ]);
    await client.send(new Uint8Array([1, 2, 3]));
    expect(Array.from(await server.recv(3))).toEqual([1, 2, 3]);
    await Promise.all([client.close(), server.close()]);
  });

  it('runs the browser client on any WebSocket class, with the same counters', async () => {
    const listener = await listenWebSocket({ port: 0 }, OFF);
    cleanups.push(() => listener.close());
    const [server, client] = await Promise.all([
      listener.accept(),
      connectFromBrowser(`ws://127.0.0.1:${listener.port}`, {
        WebSocket: WebSocket as unknown as WebSocketConstructor,
      }),
    ]);
    expect(client.remoteAddress).toBe(`127.0.0.1:${listener.port}`);
    expect(server.remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    await Promise.all([handshake(server, { version: 'v' }), handshake(client, { version: 'v' })]);
    await client.send(new Float64Array(100));
    expect((await server.recvArray(Float64Array, 100)).length).toBe(100);
    expect(client.stats.bytesSent).toBe(server.stats.bytesReceived);
    await Promise.all([client.close(), server.close()]);
  });

  it('runs the browser entry on the standard WebSocket class (a child process)', async (ctx) => {
    const listener = await listenWebSocket({ port: 0 }, { ...OFF, handshakeFrameBytes: 4096 });
    cleanups.push(() => listener.close());
    const child = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        process.execPath,
        ['--experimental-websocket', '--conditions=@secinfer/source', '--import', 'tsx'].concat([
          fileURLToPath(new URL('standard-websocket-client.ts', import.meta.url)),
          `ws://127.0.0.1:${listener.port}`,
        ]),
        { cwd: fileURLToPath(new URL('../../..', import.meta.url)) },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    const accepted = listener.accept();
    const first = await Promise.race([accepted, child]);
    if (!('send' in first)) {
      if (/bad option/.test(first.stderr)) ctx.skip('this Node has no standard WebSocket; skipped');
      throw new Error(`the client failed: ${first.stderr}`);
    }
    const server = first;
    await handshake(server, { version: 'v', params: { ell: 32 } });
    const message = new Uint8Array(3 * 2 ** 20).map((_, i) => i % 251);
    await server.send(message.slice());
    const echoed = await server.recv(message.length);
    expect(Buffer.from(echoed).equals(message)).toBe(true);
    await server.send(new Uint8Array(8));
    const aborted = await server.recv().catch((e) => e);
    expect(aborted).toBeInstanceOf(PeerAbortedError);
    expect(aborted.reason).toBe('UNEXPECTED_LENGTH');
    const result = await child;
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.error).toBe('UNEXPECTED_LENGTH');
    expect(report.remoteAddress).toBe(`127.0.0.1:${listener.port}`);
    const hello = server.stats.bytesSent - message.length - 8;
    expect(report.stats).toEqual({
      bytesSent: server.stats.bytesReceived,
      bytesReceived: hello + message.length,
      messagesSent: 2,
      messagesReceived: 2,
      rounds: 3, // hello out; hello and the message in; the echo out
    });
  });

  it('carries wss to the pinned server and refuses another pin, a missing pin and plain ws', async (ctx) => {
    const pair = selfSigned();
    if (!pair) ctx.skip('no openssl command to make a certificate with; wss test skipped');
    const { cert, key, fingerprint256: pin } = pair!;
    const listener = await listenWebSocket(
      { port: 0 },
      { tls: { cert, key }, maxPerAddress: 1, handshakeTimeoutMs: 2000 },
    );
    cleanups.push(() => listener.close());
    const url = `wss://127.0.0.1:${listener.port}`;
    const client = await connectWebSocket(url, { tls: { pin } });
    const server = await listener.accept();
    const big = new Uint8Array(3 * 2 ** 20).map((_, i) => i * 7);
    await server.send(big.slice());
    expect(Buffer.from(await client.recv(big.length)).equals(big)).toBe(true);
    await Promise.all([client.close(), server.close()]);
    await new Promise((r) => setTimeout(r, 50));

    const wrong = await connectWebSocket(url, { tls: { pin: '00'.repeat(32) } }).catch((e) => e);
    expect(wrong).toBeInstanceOf(ConnectError);
    expect(wrong.message).toMatch(/is not the pinned/);
    await expect(connectWebSocket(url)).rejects.toThrow(/needs a certificate pin/);
    const plain = await connectWebSocket(`ws://127.0.0.1:${listener.port}`).catch((e) => e);
    expect(plain).toBeInstanceOf(ConnectError);
    expect(listener.pending).toBe(0);

    // A TLS handshake in progress counts against its address already.
    const stalled = net.connect({ port: listener.port, host: '127.0.0.1' });
    await new Promise((r) => stalled.once('connect', r));
    await new Promise((r) => setTimeout(r, 50));
    const refusedBefore = listener.refused;
    const second = await connectWebSocket(url, { tls: { pin } }).catch((e) => e);
    expect(second).toBeInstanceOf(ConnectError);
    expect(listener.refused).toBe(refusedBefore + 1);
    stalled.destroy();
  });
});
