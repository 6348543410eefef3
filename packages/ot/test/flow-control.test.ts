/**
 * Receivers pipeline their batches: at most a window of batches unanswered (so memory and the
 * data in flight stay bounded), replies read in order. Over TCP with small buffers, a vector
 * COT whose columns and replies both outgrow every buffer completes instead of deadlocking
 * until the idle timeout (what sending every batch's columns first did).
 */
import { connect, listen } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { type Batch, pipelineBatches } from '../src/extension.js';
import { IknpReceiver, IknpSender, vectorCotReceive, vectorCotSend } from '../src/index.js';
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
  it('a vector COT larger than every buffer in both directions completes', {
    timeout: 60_000,
  }, async () => {
    const options = { receiveHighWaterMark: 1 << 18, idleTimeoutMs: 15_000 };
    const listener = await listen({ port: 0 }, options);
    const [a, b] = await Promise.all([
      listener.accept(),
      connect({ port: listener.port }, options),
    ]);
    try {
      const [sender, receiver] = await Promise.all([IknpSender.setup(a), IknpReceiver.setup(b)]);
      // 2^21 OTs of 8 values: 16 batches, 32 MiB of columns one way and 64 MiB of replies back.
      const n = 1 << 21;
      const k = 8;
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
