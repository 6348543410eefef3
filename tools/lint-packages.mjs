// Checks every published package as npm would ship it: publint (package.json fields, exports,
// files) and @arethetypeswrong/cli (types resolve for ESM and CJS consumers; profile node16,
// since the subpath entries need "exports" and node10 resolution ignores them). Run after the
// build; exits non-zero when either tool reports an error in any package.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const packages = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

const failed = [];
for (const dir of packages) {
  for (const [tool, args] of [
    ['publint', ['--strict', '.']],
    ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'ascii']],
  ]) {
    try {
      execFileSync(bin(tool), args, { cwd: dir, stdio: 'inherit' });
    } catch {
      failed.push(`${tool} ${dir}`);
    }
  }
}
if (failed.length > 0) {
  console.error(`package checks failed:\n  ${failed.join('\n  ')}`);
  process.exit(1);
}
