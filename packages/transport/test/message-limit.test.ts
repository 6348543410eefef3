// Channel.limitMessages: a limit lowered mid-session, refused with a typed error on send and on
// receive — on TCP from the frame's header, before its payload is buffered.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  encodeHeader,
  FrameKind,
  FrameTooLargeError,
  listen,
  memoryPair,
  PeerAbortedError,
} from '../src/index.js';

describe('Channel.limitMessages', () => {
  it('in memory: refuses a longer message on send and on receive; a larger value never raises it', async () => {
    const [a, b] = memoryPair();
    a.limitMessages(100);
    a.limitMessages(1000);
    expect(a.messageLimit).toBe(100);
    await expect(a.send(new Uint8Array(101))).rejects.toBeInstanceOf(FrameTooLargeError);
    expect(a.stats.bytesSent).toBe(0);
    await b.send(new Uint8Array(100));
    expect((await a.recv(100)).length).toBe(100);
    await b.send(new Uint8Array(101));
    const error = await a.recv().catch((e) => e);
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect([error.length, error.maxFrameBytes]).toEqual([101, 100]);
    expect(a.stats.messagesReceived).toBe(1);
    // The refusal aborts the channel: the peer learns why.
    await expect(b.recv()).rejects.toBeInstanceOf(PeerAbortedError);
  });

  it('on TCP: refuses a frame announced over the limit from its header alone', async () => {
    const listener = await listen(
      { port: 0 },
      { maxPending: 0, maxPerAddress: 0, pendingTimeoutMs: 0 },
    );
    const socket = net.connect({ port: listener.port, host: '127.0.0.1' });
    socket.on('error', () => {});
    const server = await listener.accept();
    server.limitMessages(4096);
    // A peer that announces 512 MiB and sends none of it: only the header can be refused.
    socket.write(encodeHeader(FrameKind.DATA, 2 ** 29));
    const error = await server.recv().catch((e) => e);
    expect(error).toBeInstanceOf(FrameTooLargeError);
    expect([error.length, error.maxFrameBytes]).toEqual([2 ** 29, 4096]);
    socket.destroy();
    await listener.close();
  });
});
