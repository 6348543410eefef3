// One `secinfer server` as a child process, the way an operator starts it, with `--stats`:
// its port, its log lines, and the memory reading it prints after every session.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { MemorySample } from './leak.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

const LISTENING = /on 127\.0\.0\.1:(\d+),/;
const STATS =
  /^stats after session (\d+): rss ([\d.]+) MiB, wasm heap ([\d.]+) MiB, (\d+) session\(s\) active$/;

/** A running server. */
export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** Every line it logged, in order. */
  readonly log: readonly string[];
  /** Its memory readings, one per finished session, in the order printed. */
  readonly samples: readonly MemorySample[];
  /**
   * Resolves true once `count` readings have been printed (a session ends on the server a
   * little after its client), false if they have not after `timeoutMs`: a connection the
   * listener refused was never a session and prints none.
   */
  samplesReach(count: number, timeoutMs?: number): Promise<boolean>;
  /** The server's exit code, once it exited; null while it runs. */
  readonly exitCode: number | null;
  stop(): Promise<void>;
}

/** Starts `secinfer server --model mnist --stats <args>` on a free port of 127.0.0.1. */
export async function startServer(args: readonly string[]): Promise<ServerProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--conditions=@secinfer/source',
      '--import',
      'tsx',
      CLI,
      'server',
      '--model',
      'mnist',
      '--port',
      '0',
      '--stats',
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const log: string[] = [];
  const samples: MemorySample[] = [];
  let wake: (() => void) | null = null;
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      log.push(line);
      const listening = LISTENING.exec(line);
      if (listening) resolve(Number(listening[1]));
      const stats = STATS.exec(line);
      if (stats) {
        samples.push({
          session: Number(stats[1]),
          rssMiB: Number(stats[2]),
          wasmMiB: Number(stats[3]),
        });
        wake?.();
      }
    });
    void exited.then((code) =>
      reject(new Error(`the server exited (code ${code}) before listening`)),
    );
  });
  return {
    pid: child.pid!,
    port,
    log,
    samples,
    get exitCode() {
      return child.exitCode;
    },
    async samplesReach(count, timeoutMs = 5_000) {
      const deadline = performance.now() + timeoutMs;
      while (samples.length < count) {
        const left = deadline - performance.now();
        if (left <= 0) return false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return true;
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
