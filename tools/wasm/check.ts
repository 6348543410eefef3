/**
 * For the packages' tests: runs a package's `check:wasm` script (tools/wasm/build.mjs
 * --check) and returns what it printed; throws, with the compiler's output, on drift.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function checkWasm(packageDir: URL): string {
  const cwd = fileURLToPath(packageDir);
  const { scripts } = JSON.parse(readFileSync(new URL('package.json', packageDir), 'utf8'));
  const [, script, ...args] = (scripts['check:wasm'] as string).split(' ');
  return execFileSync(process.execPath, [script!, ...args], { cwd, encoding: 'utf8' });
}
