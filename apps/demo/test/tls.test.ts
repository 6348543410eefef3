// `secinfer server --cert --key` and `secinfer client --pin` as processes: an MNIST/ot session
// through TLS gets the cleartext answer; a client pinning another certificate is refused with
// CONNECT_FAILED before any byte of the session. The self-signed certificate is made here (by
// the openssl command; skipped with a message where there is none).
import { type ChildProcess, spawn } from 'node:child_process';
import { selfSigned } from '@secinfer/test-certs';
import { describe, expect, it } from 'vitest';
import { NODE_ARGS, ROOT, run } from './cli-process.js';

describe('secinfer over TLS', () => {
  it('serves a pinned client the cleartext answer and refuses another pin', {
    timeout: 60_000,
  }, async (ctx) => {
    const certificate = selfSigned();
    if (!certificate) ctx.skip('no openssl command to make a certificate with; TLS test skipped');
    const { certPath, keyPath, fingerprint256: pin } = certificate!;
    const server: ChildProcess = spawn(
      process.execPath,
      [
        ...[...NODE_ARGS, 'server', '--model', 'mnist', '--port', '0'],
        ...['--cert', certPath, '--key', keyPath],
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      let log = '';
      server.stdout!.on('data', (d) => {
        log += d;
      });
      const port = await new Promise<number>((resolve) => {
        const poll = setInterval(() => {
          const m = /on 127\.0\.0\.1:(\d+),/.exec(log);
          if (m) {
            clearInterval(poll);
            resolve(Number(m[1]));
          }
        }, 20);
      });
      const connectTo = ['client', '--connect', `127.0.0.1:${port}`, '--input', 'digit:3'];
      const [secure, clear, wrong] = await Promise.all([
        run([...connectTo, '--json', '--pin', pin]),
        run(['run', '--cleartext', '--input', 'digit:3', '--json']),
        run([...connectTo, '--json', '--pin', 'ab'.repeat(32)]),
      ]);
      expect(secure.code, secure.stderr).toBe(0);
      expect(JSON.parse(secure.stdout).logits).toEqual(JSON.parse(clear.stdout).logits);
      expect(wrong.code).toBe(3);
      expect(JSON.parse(wrong.stdout).error.code).toBe('CONNECT_FAILED');
      expect(JSON.parse(wrong.stdout).error.message).toMatch(/is not the pinned/);
    } finally {
      server.kill();
    }
  });
});
