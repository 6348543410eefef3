// `secinfer server --ws-port` as a process, with `secinfer client --connect ws://…` and
// `wss://…` (Node clients on the ws package): MNIST/ot answers over WebSocket equal the cleartext
// answer bit for bit, TCP and WebSocket clients share the server's session slots (a WebSocket
// client queued behind a TCP connection holding the only slot is dropped at its pending timeout),
// and a wss client pinning another certificate is refused with CONNECT_FAILED.
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { selfSigned } from '@secinfer/test-certs';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, run, startServer as startCliServer } from './cli-process.js';

const servers: ChildProcess[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.kill();
});

/** Starts `secinfer server --model mnist <args>`, killed after the test. */
async function startServer(args: string[]): Promise<RunningServer> {
  const server = await startCliServer(['--model', 'mnist', ...args]);
  servers.push(server.process);
  return server;
}

const logitsOf = (r: { code: number; stdout: string; stderr: string }) => {
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).logits as number[];
};

describe('secinfer over WebSocket', () => {
  it('answers ws and TCP clients with the cleartext answer, in shared session slots', {
    timeout: 90_000,
  }, async () => {
    const ports = await startServer(
      ['--port', '0', '--ws-port', '0', '--concurrency', '1'].concat([
        '--pending-timeout',
        '3',
        '--handshake-timeout',
        '60',
      ]),
    );
    const ws = ['client', '--connect', `ws://127.0.0.1:${ports.ws}`, '--json'];
    const tcp = ['client', '--connect', `127.0.0.1:${ports.tcp}`, '--json'];

    // A TCP connection that never says hello holds the one slot (until it hangs up, below);
    // a WebSocket client meanwhile waits in the queue, and leaves it after 3 s.
    const holder = net.connect({ port: ports.tcp, host: '127.0.0.1' });
    holder.on('error', () => {});
    await new Promise((r) => holder.once('connect', r));
    await new Promise((r) => setTimeout(r, 200));
    const queued = await run([...ws, '--input', 'digit:3']);
    expect(queued.code).toBe(3);
    expect(JSON.parse(queued.stdout).error.code).toBe('PEER_CLOSED');
    holder.destroy();

    // One after the other: with one slot, a second client would wait out its pending timeout.
    const cleartext = Promise.all([
      run(['run', '--cleartext', '--input', 'digit:3', '--json']),
      run(['run', '--cleartext', '--input', 'digit:5', '--json']),
    ]);
    const overWs = await run([...ws, '--input', 'digit:3']);
    const overTcp = await run([...tcp, '--input', 'digit:5']);
    const [clear3, clear5] = await cleartext;
    expect(logitsOf(overWs)).toEqual(logitsOf(clear3));
    expect(logitsOf(overTcp)).toEqual(logitsOf(clear5));
    expect(JSON.parse(overWs.stdout).class).toBe(3);
    // The server counted the same payload bytes for the WebSocket session as the client did.
    const wsBytes = JSON.parse(overWs.stdout).bytes as number;
    const tcpBytes = JSON.parse(overTcp.stdout).bytes as number;
    expect(wsBytes).toBe(tcpBytes);
    expect(ports.log()).toMatch(/session \d+ from 127\.0\.0\.1:\d+: mnist\/ot ok/);
  });

  it('serves a pinned wss client and refuses another pin', { timeout: 60_000 }, async (ctx) => {
    const certificate = selfSigned();
    if (!certificate) ctx.skip('no openssl command to make a certificate with; wss test skipped');
    const { certPath, keyPath, fingerprint256: pin } = certificate!;
    const ports = await startServer([
      ...['--port', '0', '--ws-port', '0'],
      ...['--cert', certPath, '--key', keyPath],
    ]);
    const url = `wss://127.0.0.1:${ports.ws}`;
    const [secure, clear, wrong, unpinned] = await Promise.all([
      run(['client', '--connect', url, '--input', 'digit:7', '--json', '--pin', pin]),
      run(['run', '--cleartext', '--input', 'digit:7', '--json']),
      run(['client', '--connect', url, '--input', 'digit:7', '--json', '--pin', 'ab'.repeat(32)]),
      run(['client', '--connect', url, '--input', 'digit:7', '--json']),
    ]);
    expect(logitsOf(secure)).toEqual(logitsOf(clear));
    expect(wrong.code).toBe(3);
    expect(JSON.parse(wrong.stdout).error.code).toBe('CONNECT_FAILED');
    expect(JSON.parse(wrong.stdout).error.message).toMatch(/is not the pinned/);
    expect(unpinned.code).toBe(2);
    expect(JSON.parse(unpinned.stdout).error.code).toBe('USAGE');
  });
});
