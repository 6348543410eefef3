// The `secinfer` command as a child process, for the tests that drive it from outside:
// where it runs from, its node arguments, one finished run's exit code and output, and a
// running server's ports.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const NODE_ARGS = [
  '--conditions=@secinfer/source',
  '--import',
  'tsx',
  'apps/demo/src/cli.ts',
];

/** Runs `secinfer <args>` to its end. */
export function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A `secinfer server` process listening on TCP and WebSocket (its --ws-port). */
export interface RunningServer {
  readonly process: ChildProcess;
  readonly tcp: number;
  readonly ws: number;
  /** What it has printed so far (stdout, and stderr unless inherited). */
  log(): string;
}

/**
 * Starts `secinfer server <args>` (which must include --ws-port) and resolves once it prints
 * its ports; rejects with its output if it exits first. The caller kills it.
 */
export function startServer(
  args: string[],
  options: { readonly stderr?: 'inherit' | 'log' } = {},
): Promise<RunningServer> {
  const server = spawn(process.execPath, [...NODE_ARGS, 'server', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', options.stderr === 'log' ? 'pipe' : 'inherit'],
  });
  let log = '';
  const append = (d: Buffer) => {
    log += d;
  };
  server.stdout!.on('data', append);
  server.stderr?.on('data', append);
  return new Promise((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the server exited (code ${code}): ${log}`)));
    const poll = setInterval(() => {
      const m = /on 127\.0\.0\.1:(\d+), WebSocket on wss?:\/\/127\.0\.0\.1:(\d+),/.exec(log);
      if (m) {
        clearInterval(poll);
        resolve({ process: server, tcp: Number(m[1]), ws: Number(m[2]), log: () => log });
      }
    }, 20);
  });
}
