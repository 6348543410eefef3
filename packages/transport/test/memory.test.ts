import { describe, expect, it } from 'vitest';
import {
  ChannelClosedError,
  FrameTooLargeError,
  memoryPair,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  UnexpectedLengthError,
} from '../src/index.js';

describe('memory channel', () => {
  it('delivers messages in order, unchanged', async () => {
    const [a, b] = memoryPair();
    const sent = Array.from({ length: 50 }, (_, i) => new Uint8Array(i).fill(i));
    for (const message of sent) await a.send(message);
    for (const message of sent) expect(await b.recv(message.length)).toEqual(message);
  });

  it('counts bytes, messages and rounds exactly (A→B→A is 3 rounds for both)', async () => {
    const [a, b] = memoryPair();
    await a.send(new Uint8Array(10));
    await a.send(new Uint8Array(5));
    await b.recv(10);
    await b.recv(5);
    await b.send(new Uint32Array(4));
    await a.recv(16);
    await a.send(new Uint8Array(1));
    await b.recv(1);
    expect(a.stats).toEqual({
      bytesSent: 16,
      bytesReceived: 16,
      messagesSent: 3,
      messagesReceived: 1,
      rounds: 3,
    });
    expect(b.stats).toEqual({
      bytesSent: 16,
      bytesReceived: 16,
      messagesSent: 1,
      messagesReceived: 3,
      rounds: 3,
    });
  });

  it('counts a simultaneous exchange as 2 rounds on each side', async () => {
    const [a, b] = memoryPair();
    await Promise.all([a.send(new Uint8Array(8)), b.send(new Uint8Array(8))]);
    await Promise.all([a.recv(8), b.recv(8)]);
    expect(a.stats.rounds).toBe(2);
    expect(b.stats.rounds).toBe(2);
  });

  it('attributes traffic to labelled phases, nested and repeated', async () => {
    const [a, b] = memoryPair();
    const peer = (async () => {
      await b.recv(3);
      await b.send(new Uint8Array(7));
      await b.recv(2);
    })();
    await a.phase('outer', async () => {
      await a.phase('inner', async () => {
        await a.send(new Uint8Array(3));
        await a.recv(7);
      });
      await a.phase('inner', () => a.send(new Uint8Array(2)));
    });
    await peer;
    const phases = a.phases();
    expect(phases.get('outer')).toEqual({
      bytesSent: 5,
      bytesReceived: 7,
      messagesSent: 2,
      messagesReceived: 1,
      rounds: 3,
    });
    // Each phase counts its own rounds from its own start.
    expect(phases.get('inner')).toEqual({
      bytesSent: 5,
      bytesReceived: 7,
      messagesSent: 2,
      messagesReceived: 1,
      rounds: 3,
    });
  });

  it('receives typed arrays without copying, aligned', async () => {
    const [a, b] = memoryPair();
    const values = Uint32Array.from({ length: 1000 }, (_, i) => i * 2654435761);
    await a.send(values);
    const got = await b.recvArray(Uint32Array, 1000);
    expect(got).toEqual(values);
    await a.send(new Uint8Array(12).subarray(1, 9));
    expect((await b.recvArray(Float64Array, 1)).length).toBe(1);
  });

  it('rejects a message of an unexpected length with a typed error and tells the peer', async () => {
    const [a, b] = memoryPair();
    await a.send(new Uint8Array(12));
    const error = await b.recv(16, 'shares').catch((e) => e);
    expect(error).toBeInstanceOf(UnexpectedLengthError);
    expect(error).toMatchObject({ expected: 16, actual: 12 });
    expect(error.message).toContain('shares');
    await expect(a.recv()).rejects.toBeInstanceOf(PeerAbortedError);
  });

  it('rejects oversized frames at the sender', async () => {
    const [a] = memoryPair({ maxFrameBytes: 100 });
    await expect(a.send(new Uint8Array(101))).rejects.toBeInstanceOf(FrameTooLargeError);
  });

  it('reports a closed peer, an aborting peer and use after close', async () => {
    const [a, b] = memoryPair();
    await a.send(new Uint8Array(1));
    await a.close();
    expect(await b.recv(1)).toHaveLength(1); // what was sent before close is still delivered
    await expect(b.recv()).rejects.toBeInstanceOf(PeerClosedError);
    await expect(a.send(new Uint8Array(1))).rejects.toBeInstanceOf(ChannelClosedError);

    const [c, d] = memoryPair();
    const pending = d.recv();
    c.abort('HANDSHAKE_MISMATCH');
    await expect(pending).rejects.toThrow('HANDSHAKE_MISMATCH');
    const [e, f] = memoryPair();
    const other = f.recv();
    e.abort('model hash differs'); // not a code: its text stays on this side
    await expect(other).rejects.toThrow('peer aborted the session: INTERNAL');
  });

  it('times out an idle recv', async () => {
    const [a] = memoryPair({ idleTimeoutMs: 50 });
    await expect(a.recv()).rejects.toBeInstanceOf(TimeoutError);
  });

  it('holds a fast sender back while the receiver has a backlog over the high-water mark', async () => {
    const [a, b] = memoryPair({ receiveHighWaterMark: 1000 });
    await a.send(new Uint8Array(800)); // backlog was 0
    await a.send(new Uint8Array(800)); // backlog 800 < 1000: accepted at once
    let resolved = false;
    const third = a.send(new Uint8Array(800)).then(() => {
      resolved = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(false); // backlog 1600 ≥ 1000: waits
    await b.recv(800);
    await b.recv(800);
    await third;
    expect(resolved).toBe(true);
  });

  it('a send after the peer aborted rejects with the peer’s code', async () => {
    const [a, b] = memoryPair();
    a.abort('FRAME_TOO_LARGE');
    await expect(b.send(new Uint8Array(4))).rejects.toThrow('FRAME_TOO_LARGE');
  });

  it('tracks the longest message each way since the last limitMessages', async () => {
    const [a, b] = memoryPair();
    await a.send(new Uint8Array(700));
    await a.send(new Uint8Array(300));
    await b.recv(700);
    await b.recv(300);
    expect(a.largestMessages).toEqual({ sent: 700, received: 0 });
    expect(b.largestMessages).toEqual({ sent: 0, received: 700 });
    b.limitMessages(500);
    expect(b.largestMessages).toEqual({ sent: 0, received: 0 });
    await a.send(new Uint8Array(200));
    await b.recv(200);
    expect(b.largestMessages).toEqual({ sent: 0, received: 200 });
  });
});
