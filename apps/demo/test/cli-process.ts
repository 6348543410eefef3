// The `secinfer` command as a child process, for the tests that drive it from outside:
// where it runs from, its node arguments, and one finished run's exit code and output.
import { spawn } from 'node:child_process';
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
