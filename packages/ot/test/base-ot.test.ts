import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { baseOtReceive, baseOtSend } from '../src/index.js';
import { hex, randomU8 } from './helpers.js';

describe('base OT (Chou–Orlandi, ristretto255)', () => {
  it('128 OTs: the receiver gets exactly the chosen key; one message each way', async () => {
    const [a, b] = memoryPair();
    const choices = randomU8(128, 2);
    const [{ keys0, keys1 }, keys] = await Promise.all([
      baseOtSend(a, 128),
      baseOtReceive(b, choices),
    ]);
    for (let i = 0; i < 128; i++) {
      const chosen = (choices[i] ? keys1 : keys0).subarray(16 * i, 16 * i + 16);
      const other = (choices[i] ? keys0 : keys1).subarray(16 * i, 16 * i + 16);
      expect(hex(keys.subarray(16 * i, 16 * i + 16))).toBe(hex(chosen));
      expect(hex(keys.subarray(16 * i, 16 * i + 16))).not.toBe(hex(other));
    }
    expect(a.stats.bytesSent).toBe(32);
    expect(a.stats.bytesReceived).toBe(32 * 128);
    expect(a.stats.messagesSent + a.stats.messagesReceived).toBe(2);
  });

  it('a count mismatch rejects with a typed error instead of hanging', async () => {
    const [a, b] = memoryPair();
    const results = await Promise.allSettled([
      baseOtSend(a, 128),
      baseOtReceive(b, randomU8(127, 2)),
    ]);
    expect(results[0].status).toBe('rejected');
    expect((results[0] as PromiseRejectedResult).reason.name).toBe('UnexpectedLengthError');
  });
});
