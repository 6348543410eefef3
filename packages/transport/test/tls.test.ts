// TLS on TCP with a pinned certificate: a self-signed certificate made here (by the openssl
// command, skipped with a message where there is none), a session through it, a wrong pin and
// a plain client refused with typed errors.
import net from 'node:net';
import { selfSigned } from '@secinfer/test-certs';
import { describe, expect, it } from 'vitest';
import { ConnectError, connect, listen, TransportError } from '../src/index.js';

describe('TLS with a pinned certificate', () => {
  const pair = selfSigned();

  it('carries a session to the pinned server and refuses another pin or a plain client', async (ctx) => {
    if (!pair) ctx.skip('no openssl command to make a certificate with; TLS test skipped');
    const { cert, key, fingerprint256: pin } = pair!;
    const listener = await listen(
      { port: 0 },
      { tls: { cert, key }, maxPerAddress: 0, handshakeTimeoutMs: 2000 },
    );

    const client = await connect({ port: listener.port }, { tls: { pin } });
    const server = await listener.accept();
    await client.send(Uint32Array.of(1, 2, 3));
    expect(Array.from(await server.recvArray(Uint32Array, 3))).toEqual([1, 2, 3]);
    const big = new Uint8Array(3 * 2 ** 20).map((_, i) => i * 7);
    await server.send(big.slice());
    expect(await client.recv(big.length)).toEqual(big);
    await Promise.all([client.close(), server.close()]);

    const wrong = await connect({ port: listener.port }, { tls: { pin: '00'.repeat(32) } }).catch(
      (e) => e,
    );
    expect(wrong).toBeInstanceOf(ConnectError);
    expect(wrong.message).toMatch(/is not the pinned/);

    // A plain client's bytes are no TLS hello: the server drops it before any channel exists.
    const plain = await connect({ port: listener.port });
    await plain.send(new TextEncoder().encode('{"magic":"secinfer-handshake"}'));
    const failure = await plain.recv().catch((e) => e);
    expect(failure).toBeInstanceOf(TransportError);
    expect(listener.pending).toBe(0);
    await listener.close();

    // A TLS handshake in progress counts against its address already.
    const strict = await listen({ port: 0 }, { tls: { cert, key }, maxPerAddress: 1 });
    const stalled = net.connect({ port: strict.port, host: '127.0.0.1' });
    await new Promise((r) => stalled.once('connect', r));
    await new Promise((r) => setTimeout(r, 50));
    const second = await connect({ port: strict.port }, { tls: { pin } }).catch((e) => e);
    expect(second).toBeInstanceOf(ConnectError);
    expect(strict.refused).toBe(1);
    stalled.destroy();
    await strict.close();
  });
});
