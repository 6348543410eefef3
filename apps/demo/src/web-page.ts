// `secinfer server --web`: the web page (apps/web, built to its dist/) served over plain HTTP
// GET on the WebSocket port, so a browser opens http://host:W/ and its client connects back to
// ws://host:W. Only the build's two files are served, read once at startup and looked up by
// exact path: no request path ever reaches the file system, so none can leave that directory.
import { readFileSync } from 'node:fs';
import type { HttpRequestHandler } from '@secinfer/transport';
import { CliError } from './errors.js';

/** The page's build, beside this package: apps/web/dist (from src/ and dist/ alike). */
export const WEB_DIST = new URL('../../web/dist/', import.meta.url);

/** The files of the build, by the request path that gets each. */
const FILES = [
  { paths: ['/', '/index.html'], file: 'index.html', type: 'text/html; charset=utf-8' },
  { paths: ['/app.js'], file: 'app.js', type: 'text/javascript; charset=utf-8' },
] as const;

/** A served file: its bytes and content type. */
interface PageFile {
  readonly body: Buffer;
  readonly type: string;
}

/**
 * Reads the built page from `dist` and returns the handler that serves it; without a build,
 * a CliError that says how to make one.
 */
export function webPage(dist: URL = WEB_DIST): HttpRequestHandler {
  const byPath = new Map<string, PageFile>();
  for (const { paths, file, type } of FILES) {
    let body: Buffer;
    try {
      body = readFileSync(new URL(file, dist));
    } catch {
      throw new CliError(
        'WEB_PAGE_MISSING',
        `server --web: the web page is not built (no ${file} in apps/web/dist); build it with \`pnpm --filter @secinfer/web build\``,
      );
    }
    for (const path of paths) byPath.set(path, { body, type });
  }
  return (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    const page = byPath.get(path);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      response.end('only GET and HEAD\n');
      return;
    }
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found\n');
      return;
    }
    response.writeHead(200, {
      'content-type': page.type,
      'content-length': page.body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : page.body);
  };
}
