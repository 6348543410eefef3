// The web page as a user meets it, in a real Chromium (Debian's, headless): `secinfer server
// --web` serves it, the page runs the client's side of MNIST (the embedded digit) and MiniONN
// (a PNG chosen in the file picker) on both backends, and its logits equal `secinfer run
// --cleartext` bit for bit; a server killed mid-session shows an error on the page, not a hang.
// Each finished page is saved as a screenshot in apps/web/test-output/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  ROOT,
  type RunningServer,
  run,
  startServer as startCliServer,
} from '@secinfer/demo/test/cli-process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from '../scripts/chromium.js';

const OUTPUT = join(ROOT, 'apps/web/test-output');
const IMAGE = join(ROOT, 'apps/demo/test/fixtures/portrait-97x131.png');
// MiniONN on ot moves 4.3 GB: minutes on a loaded CI machine.
const SESSION_MS = 600_000;

interface PageOutcome {
  result?: { logits: number[]; backend: string; class: number };
  error?: { code: string; message: string };
}

/** `secinfer server --web` for `model` (both backends) on free ports. */
function startServer(model: string): Promise<RunningServer> {
  return startCliServer(
    ['--model', model, '--backend', 'ot,he', '--port', '0', '--ws-port', '0', '--web'],
    { stderr: 'log' },
  );
}

/** What the page ended with: its result, or the error it shows. */
async function outcome(page: Page): Promise<PageOutcome> {
  await page.waitForFunction(() => window.secinferResult ?? window.secinferError, null, {
    timeout: SESSION_MS,
    polling: 100,
  });
  return page.evaluate(() => ({ result: window.secinferResult, error: window.secinferError }));
}

async function cleartextLogits(model: string, backend: string, input?: string): Promise<number[]> {
  const { code, stdout, stderr } = await run([
    'run',
    '--model',
    model,
    '--backend',
    backend,
    '--cleartext',
    '--json',
    ...(input ? ['--input', input] : []),
  ]);
  expect(code, stderr).toBe(0);
  return JSON.parse(stdout).logits;
}

const chromium = chromiumPath();

describe('the browser', () => {
  // CI installs Debian's chromium; a red test there, not a skip, when it did not.
  it.runIf(process.env.CI)('Chromium is installed where CI runs', () => {
    expect(chromium, 'apt-get install chromium').toBeDefined();
  });
});

describe.skipIf(!chromium)('the web page in Chromium', () => {
  let browser: Browser;
  const servers = new Map<string, RunningServer>();
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    browser = await launchChromium();
    for (const model of ['mnist', 'minionn']) servers.set(model, await startServer(model));
  }, 120_000);
  afterAll(async () => {
    for (const server of servers.values()) server.process.kill();
    await browser?.close();
  });

  async function openPage(model: string, query: string): Promise<Page> {
    const { ws: port } = servers.get(model)!;
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?server=ws://127.0.0.1:${port}&${query}`);
    return page;
  }

  it.each(['ot', 'he'])(
    'MNIST on %s: the embedded digit’s logits equal the cleartext fixed point’s',
    async (backend) => {
      const page = await openPage('mnist', `backend=${backend}&sample=mnist&digit=7`);
      const { result, error } = await outcome(page);
      expect(error).toBeUndefined();
      expect(result!.backend).toBe(backend);
      expect(result!.logits).toEqual(await cleartextLogits('mnist', backend));
      expect(await page.textContent('#answer')).toContain('7');
      await page.screenshot({ path: join(OUTPUT, `mnist-${backend}.png`), fullPage: true });
      await page.close();
    },
    SESSION_MS,
  );

  it.each(['ot', 'he'])(
    'MiniONN on %s: a PNG picked in the page gives the cleartext fixed point’s logits',
    async (backend) => {
      const page = await openPage('minionn', `backend=${backend}`);
      await page.waitForSelector('#status[data-state="ready"]', { timeout: 30_000 });
      await page.setInputFiles('#file', IMAGE);
      await page.waitForFunction(() => document.getElementById('chosen')?.textContent);
      await page.click('#run');
      const { result, error } = await outcome(page);
      expect(error).toBeUndefined();
      expect(result!.logits).toEqual(await cleartextLogits('minionn', backend, IMAGE));
      await page.screenshot({ path: join(OUTPUT, `minionn-${backend}.png`), fullPage: true });
      await page.close();
    },
    SESSION_MS,
  );

  it('a server killed mid-session shows an error on the page within seconds', async () => {
    // MiniONN, whose session outlasts its first layers by seconds: the kill lands inside it.
    const doomed = await startServer('minionn');
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${doomed.ws}/?server=ws://127.0.0.1:${doomed.ws}&backend=ot`);
    await page.waitForSelector('#status[data-state="ready"]', { timeout: 30_000 });
    await page.setInputFiles('#file', IMAGE);
    await page.waitForFunction(() => document.getElementById('chosen')?.textContent);
    await page.click('#run');
    await page.waitForFunction(() => document.getElementById('progress')?.textContent, null, {
      timeout: 60_000,
    });
    doomed.process.kill('SIGKILL');
    const killedAt = Date.now();
    const { result, error } = await outcome(page);
    expect(result).toBeUndefined();
    expect(error?.code).toMatch(/PEER_CLOSED|CHANNEL_CLOSED|CONNECT_FAILED/);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect(await page.isVisible('#error')).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'server-killed.png'), fullPage: true });
    await page.close();
  }, 90_000);
});
