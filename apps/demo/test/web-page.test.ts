// `secinfer server --web`: the built page served on the WebSocket port. GET / and /index.html
// give the page, /app.js the bundle, with their content types; every other path — the
// traversals out of the build's directory among them — is 404 and never a file's bytes; other
// methods 405; WebSocket upgrades on the same port still reach the session queue. Without a
// build the server refuses to start, saying how to build it.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { connectWebSocket, listenWebSocket, type WebSocketListener } from '@secinfer/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../src/errors.js';
import { webPage } from '../src/web-page.js';
import { run } from './cli-process.js';

const PAGE = '<!doctype html><title>page</title><script type="module" src="app.js"></script>';
const APP = 'console.log("app");';
const SECRET = 'a file beside the build that must never be served';

let root: string;
let listener: WebSocketListener;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'secinfer-web-'));
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'dist', 'index.html'), PAGE);
  writeFileSync(join(root, 'dist', 'app.js'), APP);
  writeFileSync(join(root, 'dist', 'notes.txt'), SECRET);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  const page = webPage(pathToFileURL(`${join(root, 'dist')}/`));
  listener = await listenWebSocket(
    { port: 0 },
    { maxPending: 0, maxPerAddress: 0, pendingTimeoutMs: 0, onRequest: page },
  );
});

afterAll(async () => {
  await listener.close();
  rmSync(root, { recursive: true, force: true });
});

/** One request with `path` sent as written (fetch would resolve the dots first). */
function request(
  path: string,
  method = 'GET',
): Promise<{ status: number; type?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port: listener.port, host: '127.0.0.1', path, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: res.headers['content-type'], body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('secinfer server --web', () => {
  it('serves the page at / and /index.html and the bundle at /app.js, query strings ignored', async () => {
    for (const path of ['/', '/index.html', '/?server=ws://127.0.0.1:1&sample=mnist']) {
      const r = await request(path);
      expect(r).toEqual({ status: 200, type: 'text/html; charset=utf-8', body: PAGE });
    }
    const app = await request('/app.js');
    expect(app).toEqual({ status: 200, type: 'text/javascript; charset=utf-8', body: APP });
    const head = await request('/app.js', 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('answers 404 to every other path, traversals included, and 405 to other methods', async () => {
    for (const path of [
      '/notes.txt',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/app.js/../../secret.txt',
      `/${join(root, 'secret.txt')}`,
      '//etc/passwd',
      '/dist/app.js',
      '/APP.JS',
    ]) {
      const r = await request(path);
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain(SECRET);
    }
    expect((await request('/', 'POST')).status).toBe(405);
  });

  it('still hands WebSocket upgrades on the same port to accept()', async () => {
    const [server, client] = await Promise.all([
      listener.accept(),
      connectWebSocket(`ws://127.0.0.1:${listener.port}`),
    ]);
    await client.send(new Uint8Array([7, 8, 9]));
    expect(Array.from(await server.recv(3))).toEqual([7, 8, 9]);
    await Promise.all([client.close(), server.close()]);
  });

  it('refuses to start without a built page, saying how to build it', () => {
    const missing = pathToFileURL(`${join(root, 'no-build')}/`);
    const error = (() => {
      try {
        webPage(missing);
      } catch (e) {
        return e;
      }
    })() as CliError;
    expect(error).toBeInstanceOf(CliError);
    expect(error.code).toBe('WEB_PAGE_MISSING');
    expect(error.message).toMatch(/pnpm --filter @secinfer\/web build/);
  });

  it('--web without --ws-port is a usage error', async () => {
    const r = await run(['server', '--model', 'mnist', '--web', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'USAGE' });
    expect(JSON.parse(r.stdout).error.message).toMatch(/--ws-port/);
  });
});
