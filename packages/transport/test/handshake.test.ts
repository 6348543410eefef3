import { describe, expect, it } from 'vitest';
import { HandshakeError, handshake, MalformedFrameError, memoryPair } from '../src/index.js';

describe('handshake', () => {
  it('passes when version and parameters agree', async () => {
    const [a, b] = memoryPair();
    const options = { version: '1', params: { ell: 32, scale: 12, model: 'abc' } };
    await Promise.all([
      handshake(a, options),
      handshake(b, { version: '1', params: { model: 'abc', scale: 12, ell: 32 } }),
    ]);
  });

  it('rejects on both sides, naming the field that differs', async () => {
    const [a, b] = memoryPair();
    const [ra, rb] = await Promise.allSettled([
      handshake(a, { version: '1', params: { ell: 32, scale: 12 } }),
      handshake(b, { version: '1', params: { ell: 37, scale: 12 } }),
    ]);
    for (const [result, local, remote] of [
      [ra, 32, 37],
      [rb, 37, 32],
    ] as const) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(HandshakeError);
      expect(error).toMatchObject({ field: 'ell', local, remote });
    }
  });

  it('rejects a version mismatch and a parameter only one side has', async () => {
    const [a, b] = memoryPair();
    const [ra] = await Promise.allSettled([
      handshake(a, { version: '1' }),
      handshake(b, { version: '2' }),
    ]);
    expect((ra as PromiseRejectedResult).reason).toMatchObject({ field: 'version' });

    const [c, d] = memoryPair();
    const [rc] = await Promise.allSettled([
      handshake(c, { version: '1', params: { backend: 'he' } }),
      handshake(d, { version: '1' }),
    ]);
    expect((rc as PromiseRejectedResult).reason).toMatchObject({
      field: 'backend',
      local: 'he',
      remote: undefined,
    });
  });

  it('rejects a peer that does not speak the handshake', async () => {
    const [a, b] = memoryPair();
    await b.send(new TextEncoder().encode('hello'));
    await expect(handshake(a, { version: '1' })).rejects.toBeInstanceOf(MalformedFrameError);
  });
});
