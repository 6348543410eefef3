// What a listener allows strangers, one limit at a time: the queue cap, the per-address cap,
// a queued connection's clock and its paused socket, the first frame's size, the handshake's
// clock, the session deadline, and the minimum byte rate that keeps a trickle from counting.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  type Channel,
  connect,
  encodeHeader,
  FrameKind,
  FrameTooLargeError,
  handshake,
  type ListenOptions,
  listen,
  TimeoutError,
} from '../src/index.js';

const OFF: ListenOptions = { maxPending: 0, maxPerAddress: 0, pendingTimeoutMs: 0 };

/** A raw socket to `port`; resolves with the ms until the listener closed it. */
function raw(port: number, localAddress = '127.0.0.1', send?: Uint8Array) {
  const socket = net.connect({ port, host: '127.0.0.1', localAddress });
  const start = performance.now();
  socket.on('error', () => {});
  if (send) socket.write(send);
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => resolve(performance.now() - start)),
  );
  socket.resume();
  return { socket, closed };
}

const settle = () => new Promise((r) => setTimeout(r, 100));

describe('listener limits', () => {
  it('closes connections beyond maxPending at once, and a queued one after pendingTimeoutMs', async () => {
    const listener = await listen({ port: 0 }, { ...OFF, maxPending: 2, pendingTimeoutMs: 400 });
    const sockets = Array.from({ length: 5 }, () => raw(listener.port));
    await settle();
    expect(listener.pending).toBe(2);
    expect(listener.refused).toBe(3);
    const times = await Promise.all(sockets.map((s) => s.closed));
    expect(times.filter((t) => t < 300)).toHaveLength(3);
    expect(times.filter((t) => t >= 350 && t < 2000)).toHaveLength(2);
    expect(listener.pending).toBe(0);
    await listener.close();
  });

  it('limits open connections per address; other addresses are unaffected', async (ctx) => {
    const routed = await new Promise<boolean>((resolve) => {
      const probe = net
        .createServer((c) => c.destroy())
        .listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as net.AddressInfo;
          const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.9' });
          const done = (ok: boolean) => {
            socket.destroy();
            probe.close();
            resolve(ok);
          };
          socket.once('connect', () => done(true));
          socket.once('error', () => done(false));
        });
    });
    if (!routed) ctx.skip('this machine does not route 127.0.0.k to loopback; skipped');
    const listener = await listen({ port: 0 }, { ...OFF, maxPerAddress: 2 });
    const same = Array.from({ length: 4 }, () => raw(listener.port, '127.0.0.7'));
    const other = raw(listener.port, '127.0.0.8');
    await settle();
    expect(listener.refused).toBe(2);
    expect(listener.pending).toBe(3);
    for (const s of [...same, other]) s.socket.destroy();
    await listener.close();
  });

  it('gives an address its place back when a connection closes (sessions back to back)', async () => {
    const limit = 2;
    const listener = await listen({ port: 0 }, { ...OFF, maxPerAddress: limit });
    for (let i = 0; i < 3 * limit; i++) {
      const [server, client] = await Promise.all([
        listener.accept(),
        connect({ port: listener.port }),
      ]);
      await client.send(Uint8Array.of(i));
      expect(await server.recv()).toEqual(Uint8Array.of(i));
      await Promise.all([client.close(), server.close()]);
    }
    expect(listener.refused).toBe(0);
    await listener.close();
  }, 10_000);

  it('reads nothing from a queued connection until it is accepted', async () => {
    const listener = await listen({ port: 0 }, OFF);
    const { closed } = raw(listener.port, '127.0.0.1', Uint8Array.of(9, 9, 9, 9, 9, 9));
    let closedEarly = false;
    void closed.then(() => {
      closedEarly = true;
    });
    await settle();
    // Had the queued socket been read, the bad frame kind 9 would have closed it by now.
    expect(closedEarly).toBe(false);
    const channel = await listener.accept();
    await expect(channel.recv()).rejects.toThrow(/unknown frame kind 9/);
    await closed;
    await listener.close();
  });

  it('refuses a first frame over handshakeFrameBytes, then allows maxFrameBytes', async () => {
    const listener = await listen({ port: 0 }, { ...OFF, handshakeFrameBytes: 64 });
    const big = connect({ port: listener.port });
    const server = await listener.accept();
    const client = await big;
    await client.send(new Uint8Array(65));
    const error = await server.recv().catch((e) => e);
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect(error.maxFrameBytes).toBe(64);

    const ok = connect({ port: listener.port });
    const server2 = await listener.accept();
    const client2 = await ok;
    await client2.send(new Uint8Array(64));
    await client2.send(new Uint8Array(10_000));
    expect((await server2.recv()).length).toBe(64);
    expect((await server2.recv()).length).toBe(10_000);
    await Promise.all([client.close(), client2.close(), server2.close()]);
    await listener.close();
  });

  it('ends a connection that does not complete its handshake in time, and not one that did', async () => {
    const listener = await listen({ port: 0 }, { ...OFF, handshakeTimeoutMs: 300 });
    const pending = connect({ port: listener.port });
    const silent = await listener.accept();
    const started = performance.now();
    const error = await silent.recv().catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    (await pending).abort('TIMEOUT');

    const next = connect({ port: listener.port });
    const server = await listener.accept();
    const client = await next;
    await Promise.all([handshake(server, { version: 'v' }), handshake(client, { version: 'v' })]);
    await new Promise((r) => setTimeout(r, 500));
    await client.send(Uint8Array.of(1));
    expect(await server.recv(1)).toEqual(Uint8Array.of(1));
    await Promise.all([client.close(), server.close()]);
    await listener.close();
  });

  it('ends a session at its deadline even while bytes flow', async () => {
    const listener = await listen({ port: 0 }, { ...OFF, sessionDeadlineMs: 400 });
    const pending = connect({ port: listener.port });
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
    await listener.close();
  });

  it('does not count a trickle below minBytesPerSecond as progress', async () => {
    const listener = await listen(
      { port: 0 },
      { ...OFF, idleTimeoutMs: 500, minBytesPerSecond: 1000 },
    );
    const socket = net.connect({ port: listener.port, host: '127.0.0.1' });
    const server: Channel = await listener.accept();
    socket.on('error', () => {});
    socket.write(encodeHeader(FrameKind.DATA, 100));
    const drip = setInterval(() => socket.write('x'), 50); // 20 B/s
    const started = performance.now();
    const error = await server.recv().catch((e) => e);
    clearInterval(drip);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(1500);
    socket.destroy();
    await listener.close();
  });
});
