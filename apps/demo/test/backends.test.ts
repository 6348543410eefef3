// `secinfer server --backend ot,he`: one server offering two backends. A client without
// `--backend` runs the first; a client asking for one the server does not offer is refused
// with BACKEND_NOT_OFFERED before any cryptography, and the server serves on. (Both offered
// backends answering bit-exact is soak.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../soak/server-process.js';
import { run } from './cli-process.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer(['--backend', 'ot,he']);
});

afterAll(() => server?.stop());

describe('a server offering several backends', () => {
  it('runs the first for a client that names none, and refuses one it does not offer', async () => {
    const connect = ['client', '--connect', `127.0.0.1:${server.port}`, '--input', 'digit:4'];
    const refused = await run([...connect, '--backend', 'he-field', '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout).error).toEqual({
      code: 'BACKEND_NOT_OFFERED',
      message: 'the server offers backends ot, he, not he-field',
    });
    const plain = await run([...connect, '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout)).toMatchObject({ backend: 'ot', class: 4 });
    expect(await server.samplesReach(2)).toBe(true);
    expect(server.log.find((l) => l.startsWith('session 1 '))).toMatch(
      /failed .*: \[PEER_ABORTED\] .*BACKEND_NOT_OFFERED$/,
    );
    expect(server.log.find((l) => l.startsWith('session 2 '))).toMatch(/mnist\/ot ok in/);
  });

  it('refuses a backend named twice', async () => {
    const r = await run(['server', '--model', 'mnist', '--backend', 'ot,ot', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('USAGE');
  });
});
