/**
 * Suite `browser`: the web page's client against the Node client, the same server, one whole
 * secure inference per op.
 *   pnpm bench browser --model mnist|minionn|squeezenet --backend ot|he --op node|browser [--json]
 * The server role starts `secinfer server --web` (the model compiled before the timed part)
 * and tells the client role its port. `node` runs the command's client in-process over the
 * Node WebSocket; `browser` opens the served page in Debian's headless Chromium, picks the same
 * input (MNIST: the embedded digit 7; otherwise the PNG fixture) and presses Run. Timed: from
 * connecting to the answer; `sessionSeconds` is the client's own report of the session, and
 * `bundleGzipBytes` the served script's gzip size (measured once per process: the build is
 * the same for every run). Target: browser ≤ 1.5× node on squeezenet/he.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import { receiveCard, requestOnCard } from '@secinfer/demo/client';
import { loadInput } from '@secinfer/demo/inputs';
import { ROOT, startServer } from '@secinfer/demo/test/cli-process';
import { mnistDigit } from '@secinfer/nn/zoo';
import { connectWebSocket } from '@secinfer/transport';
import { launchChromium } from '../scripts/chromium.js';

const IMAGE = join(ROOT, 'apps/demo/test/fixtures/portrait-97x131.png');
const SESSION_MS = 1_800_000;

let bundleGzipBytes: number | undefined;
/** The gzip size of the page's script as the server serves it, from apps/web's build. */
function servedBundleGzipBytes(): number {
  bundleGzipBytes ??= gzipSync(readFileSync(join(ROOT, 'apps/web/dist/app.js')), {
    level: 9,
  }).byteLength;
  return bundleGzipBytes;
}

interface ClientRun {
  sessionSeconds: number;
  bytes: number;
  rounds: number;
}

async function nodeClient(
  ctx: OpContext,
  url: string,
  model: string,
  backend: string,
): Promise<ClientRun> {
  return ctx.measure(async () => {
    const channel = await connectWebSocket(url);
    const card = await receiveCard(channel);
    const answer = await requestOnCard(
      channel,
      card,
      (spec) => (model === 'mnist' ? mnistDigit(7) : loadInput(IMAGE, spec).data),
      { backend: backend as 'ot' | 'he' },
    );
    await channel.close();
    const { report } = answer;
    return {
      sessionSeconds: report.seconds,
      bytes: report.bytesSent + report.bytesReceived,
      rounds: report.rounds,
    };
  });
}

async function browserClient(
  ctx: OpContext,
  port: number,
  model: string,
  backend: string,
): Promise<ClientRun> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?server=ws://127.0.0.1:${port}&backend=${backend}`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 60_000 });
    if (model === 'mnist') await page.click('#sample');
    else await page.setInputFiles('#file', IMAGE);
    await page.waitForFunction(() => document.getElementById('chosen')?.textContent);
    return await ctx.measure(async () => {
      await page.click('#run');
      await page.waitForFunction(() => window.secinferResult ?? window.secinferError, null, {
        timeout: SESSION_MS,
        polling: 100,
      });
      const { result, error } = await page.evaluate(() => ({
        result: window.secinferResult,
        error: window.secinferError,
      }));
      if (!result) throw new Error(`the page failed: ${error?.code} ${error?.message}`);
      return {
        sessionSeconds: result.seconds,
        bytes: result.bytesSent + result.bytesReceived,
        rounds: result.rounds,
      };
    });
  } finally {
    await browser.close();
  }
}

function op(client: 'node' | 'browser') {
  return {
    name: client,
    // The harness reports the server role's figures: the client sends its own to the server
    // as the timed part's last message.
    async run(ctx: OpContext): Promise<OpReport> {
      const model = ctx.args.model ?? 'mnist';
      const backend = ctx.args.backend ?? 'ot';
      if (ctx.role === 'client') {
        const [port] = await ctx.channel.recvArray(Uint32Array, 1, 'server port');
        const ran =
          client === 'node'
            ? await nodeClient(ctx, `ws://127.0.0.1:${port}`, model, backend)
            : await browserClient(ctx, port!, model, backend);
        await ctx.channel.send(Float64Array.of(ran.sessionSeconds, ran.bytes, ran.rounds));
        return { n: 1 };
      }
      const server = await startServer([
        ...['--model', model, '--backend', backend],
        ...['--port', '0', '--ws-port', '0', '--web'],
      ]);
      try {
        await ctx.channel.send(Uint32Array.of(server.ws));
        const [sessionSeconds, bytes, rounds] = await ctx.measure(() =>
          ctx.channel.recvArray(Float64Array, 3, 'client figures'),
        );
        return {
          n: 1,
          bytes,
          extra: {
            sessionSeconds: sessionSeconds!,
            sessionRounds: rounds!,
            ...(client === 'browser' ? { bundleGzipBytes: servedBundleGzipBytes() } : {}),
          },
          labels: { model },
        };
      } finally {
        server.process.kill();
      }
    },
  };
}

export default defineSuite({ name: 'browser', ops: [op('node'), op('browser')] });
