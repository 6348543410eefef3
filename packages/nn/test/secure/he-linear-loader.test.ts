// @secinfer/he-linear is an optional peer: a failure to find it becomes BackendUnavailableError
// (code BACKEND_UNAVAILABLE, naming the backend and what to install); a failure inside it
// (another module missing) stays the error it was; and when it is installed it loads.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BackendUnavailableError } from '../../src/index.js';
import { isMissing, loadHeLinear } from '../../src/secure/he-linear-loader.js';

/** The error (code and message) a Node process where no node_modules holds `name` throws on import. */
function resolutionError(name: string): unknown {
  const script = `import(${JSON.stringify(name)}).then(
    () => console.log('null'),
    (e) => console.log(JSON.stringify({ code: e.code, message: e.message })),
  )`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: '/', encoding: 'utf8' }));
}

describe('the optional @secinfer/he-linear', () => {
  it('tells its own absence from a module missing inside it', () => {
    expect(isMissing(resolutionError('@secinfer/he-linear'))).toBe(true);
    expect(isMissing(resolutionError('node-seal'))).toBe(false);
    expect(isMissing(new Error('@secinfer/he-linear'))).toBe(false);
  });

  it('says what to install', () => {
    const error = new BackendUnavailableError('he', '@secinfer/he-linear');
    expect(error.code).toBe('BACKEND_UNAVAILABLE');
    expect(error.message).toMatch(/npm install @secinfer\/he-linear.*backend 'ot'/);
  });

  it('loads once when installed', async () => {
    const he = await loadHeLinear('he');
    expect(typeof he.heConv2d).toBe('function');
    expect(await loadHeLinear('he-field')).toBe(he);
  });
});
