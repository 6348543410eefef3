/**
 * Receivers pipeline their batches: at most a window of batches unanswered (so memory and the
 * data in flight stay bounded), replies read in order. Over TCP with small buffers, a vector
 * COT whose columns and replies both outgrow every buffer completes instead of deadlocking
 * until the idle timeout (what sending every batch's columns first did). A channel whose
 * receive high-water mark the window could reach is refused at setup with a typed error.
 */
import { connect, listen, memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { type Batch, pipelineBatches } from '../src/extension.js';
import {
  IknpReceiver,
  IknpSender,
  KkotReceiver,
  KkotSender,
  vectorCotReceive,
  vectorCotSend,
} from '../src/index.js';
import { randomU8, randomValues } from './helpers.js';

describe('pipelineBatches', () => {
  it('lets small batches run ahead up to the budget', async () => {
    const batches: Batch[] = Array.from({ length: 40 }, (_, i) => ({
      first: 128 * i,
      count: 128,
      padded: 128,
      tweak: 128 * i,
    }));
    let open = 0;
    let most = 0;
    await pipelineBatches(
      { uBytes: () => 2 ** 20 },
      batches,
      async () => {
        most = Math.max(most, ++open);
      },
      async () => {
        open--;
      },
    );
    expect(most).toBe(9); // 8 MiB / 1 MiB = 8 unanswered, the ninth sent before a reply is read
  });

  it('keeps 8 MiB of columns unanswered at most (two batches at least), answers in order', async () => {
    const batches: Batch[] = Array.from({ length: 7 }, (_, i) => ({
      first: 128 * i,
      count: 128,
      padded: 128,
      tweak: 128 * i,
    }));
    const events: string[] = [];
    let open = 0;
    let most = 0;
    // 3 MiB of columns per batch: a window of two.
    await pipelineBatches(
      { uBytes: () => 3 * 2 ** 20 },
      batches,
      async (b) => {
        events.push(`send ${b.first / 128}`);
        most = Math.max(most, ++open);
        return b.first / 128;
      },
      async (b, index) => {
        expect(index).toBe(b.first / 128);
        events.push(`reply ${index}`);
        open--;
      },
    );
    expect(most).toBe(3);
    expect(events.filter((e) => e.startsWith('reply'))).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => `reply ${i}`),
    );
    expect(events.slice(0, 4)).toEqual(['send 0', 'send 1', 'send 2', 'reply 0']);
  });
});

describe('flow control over TCP', () => {
  it('a vector COT whose columns fill and whose replies overflow the buffers completes', {
    timeout: 60_000,
  }, async () => {
    // The smallest mark above the IKNP window (3 vector-COT batches of 16 MiB of columns).
    const options = { receiveHighWaterMark: 1 << 26, idleTimeoutMs: 15_000 };
    const listener = await listen({ port: 0 }, options);
    const [a, b] = await Promise.all([
      listener.accept(),
      connect({ port: listener.port }, options),
    ]);
    try {
      const [sender, receiver] = await Promise.all([IknpSender.setup(a), IknpReceiver.setup(b)]);
      // 2^22 OTs of 5 values: 64 MiB of columns one way and 80 MiB of replies back.
      const n = 1 << 22;
      const k = 5;
      const shape = { k, ell: 32, widths: new Uint8Array(n).fill(32) };
      const deltas = randomValues(k, 32);
      const choices = randomU8(n, 2);
      const m0 = new Uint32Array(n * k);
      const got = new Uint32Array(n * k);
      await Promise.all([
        vectorCotSend(sender, deltas, new Uint32Array(n), shape, (first, _count, v) =>
          m0.set(v, first * k),
        ),
        vectorCotReceive(receiver, choices, shape, (first, _count, v) => got.set(v, first * k)),
      ]);
      for (let j = 0; j < n; j += 9973)
        for (let v = 0; v < k; v++)
          expect(got[j * k + v]).toBe((m0[j * k + v]! + (choices[j] ? deltas[v]! : 0)) >>> 0);
    } finally {
      await Promise.all([a.close(), b.close(), listener.close()]);
    }
  });
});

describe('the window against the receive high-water mark', () => {
  it('refuses, before any I/O, a channel the in-flight columns could fill', async () => {
    // IKNP serves vector COT: batches of 2^20 OTs, 16 MiB of columns, three in flight.
    const [a, b] = memoryPair({ receiveHighWaterMark: 48 * 2 ** 20 });
    for (const setup of [() => IknpReceiver.setup(b), () => IknpSender.setup(a)])
      await expect(setup()).rejects.toMatchObject({
        name: 'OtError',
        code: 'WINDOW_EXCEEDS_BUFFER',
      });
    expect(() => IknpReceiver.fromBaseOts(b, new Uint8Array(2048), new Uint8Array(2048))).toThrow(
      /receive high-water mark of 50331648/,
    );
    expect([a.stats.bytesSent, b.stats.bytesSent]).toEqual([0, 0]);
    // KK13 batches are 2^14 OTs of 256 columns: 8 MiB + 512 KiB in flight fits 16 MiB.
    await Promise.all([KkotSender.setup(a), KkotReceiver.setup(b)]);
    await expect(
      KkotReceiver.setup(memoryPair({ receiveHighWaterMark: 8 * 2 ** 20 })[1]),
    ).rejects.toMatchObject({ code: 'WINDOW_EXCEEDS_BUFFER' });
  });

  it('accepts the default mark and exposes it on the channel', async () => {
    const [a, b] = memoryPair();
    expect(a.receiveHighWaterMark).toBe(256 * 2 ** 20);
    await Promise.all([IknpSender.setup(a), IknpReceiver.setup(b)]);
  });
});
