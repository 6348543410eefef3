// The `secinfer` command as a user runs it: real OS processes over TCP on 127.0.0.1. Secure
// answers equal the --cleartext answers; every fault ends in one line, a non-zero exit code and
// no hang; a server keeps serving after one of its clients dies.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CLI = join(ROOT, 'apps/demo/src/cli.ts');
const NODE_ARGS = ['--conditions=@secinfer/source', '--import', 'tsx', CLI];

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running `secinfer` process; its output is collected from the first byte. */
interface Running {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: Running = { child, stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => {
    running.stdout += d;
  });
  child.stderr!.on('data', (d) => {
    running.stderr += d;
  });
  return running;
}

function finish(p: Running, timeoutMs = 240_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const done = () =>
      resolve({ code: p.child.exitCode ?? -1, stdout: p.stdout, stderr: p.stderr });
    if (p.child.exitCode !== null || p.child.signalCode !== null) return done();
    const timer = setTimeout(() => {
      p.child.kill('SIGKILL');
      reject(new Error(`secinfer hung: ${p.stdout}\n${p.stderr}`));
    }, timeoutMs);
    p.child.on('close', () => {
      clearTimeout(timer);
      done();
    });
  });
}

const secinfer = (...args: string[]) => finish(start(args));

interface RunJson {
  class: number;
  logits: number[];
  bytes: number;
  rounds: number;
  setupBytes: number;
  messageBound?: number;
  largestMessage?: number;
  ot?: string;
  truncation?: string;
}

function lastJson(out: string): RunJson {
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

/** Waits until the process printed something matching `pattern` on stdout. */
function waitFor(p: Running, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = pattern.exec(p.stdout);
      if (m) resolve(m[0]);
      else if (p.child.exitCode !== null)
        reject(new Error(`exited before ${pattern}: ${p.stderr}`));
      else setTimeout(check, 50);
    };
    check();
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('secinfer run: secure answer == cleartext answer', () => {
  for (const [model, backend] of [
    ['mnist', 'ot'],
    ['mnist', 'he'],
    ['mnist', 'he-field'],
    ['minionn', 'ot'],
    ['minionn', 'he'],
    ['minionn', 'he-field'],
  ] as const) {
    it(`${model}, backend ${backend} (two processes over TCP)`, { timeout: 400_000 }, async () => {
      const [secure, clear] = await Promise.all([
        secinfer('run', '--model', model, '--backend', backend, '--json'),
        // The backend picks the (ℓ, s) MNIST ships for it, so the oracle runs with the same one.
        secinfer('run', '--model', model, '--backend', backend, '--cleartext', '--json'),
      ]);
      expect(secure.code, secure.stderr).toBe(0);
      expect(clear.code, clear.stderr).toBe(0);
      const s = lastJson(secure.stdout);
      const c = lastJson(clear.stdout);
      expect(s.class).toBe(c.class);
      expect(s.logits).toEqual(c.logits);
      expect(s.bytes).toBeGreaterThan(0);
      expect(s.rounds).toBeGreaterThan(0);
      // Over TCP under the program's message bound (message-bound.ts), which it respects.
      expect(s.largestMessage).toBeGreaterThan(0);
      expect(s.largestMessage).toBeLessThanOrEqual(s.messageBound!);
      if (model === 'mnist') expect(s.class).toBe(7);
    });
  }

  it('with no arguments: the MNIST digit, its true label, a table and the cost', async () => {
    const r = await secinfer('run', '--in-process');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/prediction: 7 \(true label 7, correct\)/);
    expect(r.stdout).toMatch(/layer\s+kind\s+seconds\s+MiB\s+rounds/);
    expect(r.stdout).toMatch(/cost: [\d.]+ s, [\d.]+ MiB, \d+ rounds/);
  });
});

describe('secinfer --ot and --truncation', () => {
  it('silent OT: the same logits as cleartext, fewer bytes than IKNP; the client follows the card', {
    timeout: 400_000,
  }, async () => {
    const [silent, iknp, clear] = await Promise.all([
      secinfer('run', '--ot', 'silent', '--json'),
      secinfer('run', '--ot', 'iknp', '--json'),
      secinfer('run', '--cleartext', '--json'),
    ]);
    for (const r of [silent, iknp, clear]) expect(r.code, r.stderr).toBe(0);
    const [s, i, c] = [silent, iknp, clear].map((r) => lastJson(r.stdout));
    expect(s!.logits).toEqual(c!.logits);
    expect(i!.logits).toEqual(c!.logits);
    expect(s!.ot).toBe('silent');
    expect(i!.ot).toBe('iknp');
    // Ferret's setup (a few MB) does not pay on MNIST, whose bytes are mostly its OT linear
    // layers; past the setup, the non-linear layers send less.
    const afterSetup = (r: RunJson) => r.bytes - r.setupBytes;
    expect(afterSetup(s!)).toBeLessThan(afterSetup(i!));

    // A client without --ot takes the server's from the model card; one that insists on
    // another fails the handshake on both sides.
    const server = start(['server', '--model', 'mnist', '--port', '0', '--once', '--ot', 'silent']);
    const port = JSON.parse(await waitFor(server, /\{[^\n]*"listening":\d+\}/)).listening;
    const follower = await secinfer('client', '--connect', `127.0.0.1:${port}`, '--json');
    expect(follower.code, follower.stderr).toBe(0);
    expect(lastJson(follower.stdout).ot).toBe('silent');
    expect((await finish(server)).code).toBe(0);
    const server2 = start([
      'server',
      '--model',
      'mnist',
      '--port',
      '0',
      '--once',
      '--ot',
      'silent',
    ]);
    const port2 = JSON.parse(await waitFor(server2, /\{[^\n]*"listening":\d+\}/)).listening;
    const other = await secinfer('client', '--connect', `127.0.0.1:${port2}`, '--ot', 'iknp');
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/disagree: .*ot/);
    expect((await finish(server2)).code).toBe(1);
  });

  it('approximate truncation is opt-in and reported; bad values are usage errors', {
    timeout: 200_000,
  }, async () => {
    const [approx, clear, badOt, badTrunc] = await Promise.all([
      secinfer('run', '--in-process', '--truncation', 'approximate', '--json'),
      secinfer('run', '--cleartext', '--json'),
      secinfer('run', '--ot', 'fast', '--json'),
      secinfer('run', '--truncation', 'roughly', '--json'),
    ]);
    expect(approx.code, approx.stderr).toBe(0);
    const a = lastJson(approx.stdout);
    expect(a.truncation).toBe('approximate');
    // Each truncation may land one below: the logits stay close, not necessarily equal.
    const c = lastJson(clear.stdout);
    for (const [k, v] of a.logits.entries()) expect(Math.abs(v - c.logits[k]!)).toBeLessThan(0.5);
    expect(onlyJson(badOt).error).toMatchObject({ code: 'USAGE' });
    expect((onlyJson(badOt).error as { message: string }).message).toMatch(/--ot must be/);
    expect((onlyJson(badTrunc).error as { message: string }).message).toMatch(
      /--truncation must be/,
    );
  });
});

describe('secinfer tune: ℓ and s chosen on validation inputs', () => {
  it('MNIST: the table, a choice below ℓ = 32 agreeing with float, and run --tune uses it', {
    timeout: 200_000,
  }, async () => {
    const [tuned, he, run, clear] = await Promise.all([
      secinfer('tune', '--model', 'mnist', '--json'),
      secinfer('tune', '--model', 'mnist', '--backend', 'he-field', '--json'),
      secinfer('run', '--model', 'mnist', '--tune', '--json'),
      secinfer('run', '--model', 'mnist', '--tune', '--cleartext', '--json'),
    ]);
    for (const r of [tuned, he, run, clear]) expect(r.code, r.stderr).toBe(0);
    const t = JSON.parse(tuned.stdout);
    expect(t.validation.size).toBe(10);
    expect(t.choice.ell).toBeLessThan(32);
    expect(t.choice.agreement).toBe(1);
    const chosen = t.table[t.table.length - 1];
    expect(chosen).toMatchObject({ ell: t.choice.ell, scale: t.choice.scale, accepted: true });
    // The field HE backend is offered only the bit widths it has a plaintext prime for.
    expect(JSON.parse(he.stdout).choice.ell).toBe(32);
    const s = lastJson(run.stdout) as unknown as { ell: number; scale: number; logits: number[] };
    expect({ ell: s.ell, scale: s.scale }).toEqual({ ell: t.choice.ell, scale: t.choice.scale });
    expect(s.logits).toEqual(lastJson(clear.stdout).logits);
  });

  it('a zoo model with synthetic weights says it tuned on synthetic inputs', {
    timeout: 200_000,
  }, async () => {
    const r = await secinfer('tune', '--model', 'minionn');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/validation: 4 synthetic seeded inputs/);
    expect(r.stdout).toMatch(/choice: ℓ = \d+, s = \d+/);
  });
});

describe('secinfer: bad input and faults end in one line and a non-zero exit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secinfer-test-'));

  it('an unreadable image', async () => {
    const r = await secinfer('run', '--cleartext', '--input', join(dir, 'missing.png'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^secinfer: cannot read input .*missing\.png: ENOENT\n$/);
  });

  it('a corrupt image and a .npy of the wrong size', async () => {
    writeFileSync(join(dir, 'bad.png'), 'not a png');
    const png = await secinfer('run', '--cleartext', '--input', join(dir, 'bad.png'));
    expect(png.code).toBe(2);
    expect(png.stderr).toMatch(/cannot decode .*bad\.png as PNG/);
    const header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }";
    const npy = Buffer.concat([
      Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0, header.length, 0]),
      Buffer.from(header),
      Buffer.from(new Float32Array([1, 2, 3]).buffer),
    ]);
    writeFileSync(join(dir, 'small.npy'), npy);
    const r = await secinfer('run', '--cleartext', '--input', join(dir, 'small.npy'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 3 values, the model needs 784/);
  });

  it('an unknown model id and a malformed ONNX file', async () => {
    const unknown = await secinfer('run', '--model', 'alexnet', '--cleartext');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown model 'alexnet': use one of mnist, /);
    writeFileSync(join(dir, 'broken.onnx'), Buffer.from([8, 7, 18, 255, 255, 1]));
    const broken = await secinfer('run', '--model', join(dir, 'broken.onnx'), '--cleartext');
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/cannot use this ONNX model: malformed ONNX file/);
  });

  it('a server that is not there', async () => {
    const r = await secinfer('client', '--connect', `127.0.0.1:${await freePort()}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/is `secinfer server` running there\?/);
  });

  it('client and server on different models, and on different backends', {
    timeout: 120_000,
  }, async () => {
    const server = start(['server', '--model', 'mnist', '--port', '0', '--once']);
    const port = JSON.parse(await waitFor(server, /\{[^\n]*"listening":\d+\}/)).listening;
    const client = await secinfer('client', '--connect', `127.0.0.1:${port}`, '--model', 'minionn');
    expect(client.code).toBe(3);
    expect(client.stderr).toMatch(/client and server disagree: session model/);
    expect((await finish(server)).code).toBe(1);

    const server2 = start(['server', '--model', 'mnist', '--port', '0', '--once']);
    const port2 = JSON.parse(await waitFor(server2, /\{[^\n]*"listening":\d+\}/)).listening;
    const other = await secinfer('client', '--connect', `127.0.0.1:${port2}`, '--backend', 'he');
    expect(other.code).toBe(3);
    expect(other.stderr).toMatch(/disagree: .*backend/);
    const s2 = await finish(server2);
    expect(s2.code).toBe(1);
    expect(s2.stderr).toMatch(/session 1 from 127\.0\.0\.1:\d+: mnist\/ot failed/);
  });

  it('a server stopped mid-session', { timeout: 120_000 }, async () => {
    const server = start(['server', '--model', 'mnist', '--port', '0', '--once', '--link', 'wan']);
    const port = JSON.parse(await waitFor(server, /\{[^\n]*"listening":\d+\}/)).listening;
    const client = start(['client', '--connect', `127.0.0.1:${port}`, '--link', 'wan']);
    setTimeout(() => server.child.kill('SIGKILL'), 3000);
    const r = await finish(client);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/the other party closed the connection mid-session/);
  });
});

describe('secinfer server: concurrent sessions', () => {
  it('serves K clients at once; one killed mid-session leaves the others correct', {
    timeout: 180_000,
  }, async () => {
    const port = await freePort();
    const server = start([
      'server',
      '--model',
      'mnist',
      '--port',
      String(port),
      '--concurrency',
      '2',
      '--link',
      'wan',
    ]);
    await waitFor(server, /secinfer server: .* on 127\.0\.0\.1:\d+/);
    const digits = ['1', '3', '5', '8'];
    const clients = digits.map((d) =>
      start(['client', '--connect', `127.0.0.1:${port}`, '--input', d, '--json', '--link', 'wan']),
    );
    const results = Promise.all(clients.map((c) => finish(c)));
    // With K = 2 the first two sessions end close together and the last two start then: the
    // victim is one of those, killed just after its start. (A timer from spawn could fire
    // before a slow-starting client reached the server, or at the very end of its session.)
    await waitFor(server, / ok in [\s\S]* ok in /);
    const answered = (c: (typeof clients)[number]) => c.stdout.includes('{"');
    const settling = () =>
      clients.filter(answered).length < 2 &&
      clients.every((c) => c.child.exitCode === null || answered(c));
    while (settling()) await new Promise((r) => setTimeout(r, 20));
    const victim = clients.findIndex((c) => !answered(c));
    clients[victim]!.child.kill('SIGKILL');
    const done = await results;
    server.child.kill('SIGTERM');
    const log = await finish(server);
    expect(done[victim]!.code).not.toBe(0);
    for (const i of [0, 1, 2, 3].filter((i) => i !== victim)) {
      expect(done[i]!.code, done[i]!.stderr).toBe(0);
      expect(lastJson(done[i]!.stdout).class).toBe(Number(digits[i]));
    }
    expect(log.stdout.match(/ ok in /g)).toHaveLength(3);
    expect(log.stdout.match(/ failed after /g)).toHaveLength(1);
  });
});

/** The whole of stdout as the one JSON object it must be (nothing before or after it). */
function onlyJson(r: Exit): Record<string, unknown> & { schemaVersion: number } {
  expect(r.stdout.endsWith('\n'), r.stdout).toBe(true);
  expect(r.stdout.trimEnd().split('\n'), r.stdout).toHaveLength(1);
  const value = JSON.parse(r.stdout);
  expect(value.schemaVersion).toBe(1);
  return value;
}

describe('secinfer --json: stdout is one JSON object, notes go to stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secinfer-json-'));
  const fixture = (name: string) => join(ROOT, 'apps/demo/test/fixtures', name);

  it('run --cleartext, run --in-process (compiling notes on stderr)', {
    timeout: 200_000,
  }, async () => {
    const [clear, inProcess] = await Promise.all([
      secinfer('run', '--cleartext', '--json', '--model', 'minionn'),
      secinfer('run', '--in-process', '--json', '--model', 'mnist', '--scale', '12'),
    ]);
    expect(clear.code, clear.stderr).toBe(0);
    expect(clear.stderr).toMatch(/compiling minionn/);
    expect(onlyJson(clear)).toMatchObject({
      model: 'minionn',
      backend: 'cleartext',
      weights: 'synthetic',
    });
    expect(inProcess.code, inProcess.stderr).toBe(0);
    expect(onlyJson(inProcess)).toMatchObject({ model: 'mnist', backend: 'ot', class: 7 });
  });

  it('errors: the exit code and one {"error": {code, message}} object', async () => {
    const missing = await secinfer('run', '--cleartext', '--json', '--input', join(dir, 'no.png'));
    expect(missing.code).toBe(2);
    expect(onlyJson(missing).error).toEqual({
      code: 'INPUT_UNREADABLE',
      message: `cannot read input ${join(dir, 'no.png')}: ENOENT`,
    });
    const usage = await secinfer('run', '--json', '--no-such-flag');
    expect(usage.code).toBe(2);
    expect((onlyJson(usage).error as { code: string }).code).toBe('USAGE');
    const absent = await secinfer('client', '--json', '--connect', `127.0.0.1:${await freePort()}`);
    expect(absent.code).toBe(3);
    expect((onlyJson(absent).error as { code: string }).code).toBe('CONNECT_FAILED');
  });

  it('--version is the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'apps/demo/package.json'), 'utf8'));
    const plain = await secinfer('--version');
    expect(plain.stdout).toBe(`${pkg.version}\n`);
    expect(onlyJson(await secinfer('--version', '--json')).version).toBe(pkg.version);
  });

  it('models: a table of id, input shape, parameters, weights, ℓ, scale', async () => {
    const r = await secinfer('models');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]!.split(/\s{2,}/)).toEqual([
      'id',
      'input shape',
      'parameters',
      'weights',
      'ℓ',
      'scale',
    ]);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([
      'mnist',
      'minionn',
      'resnet32',
      'squeezenet',
      'resnet50',
      'densenet121',
    ]);
    // torchvision's resnet50 has 25,557,032 parameters.
    expect(lines.find((l) => l.startsWith('resnet50'))!.split(/\s+/)).toEqual([
      'resnet50',
      '1x3x224x224',
      '25,557,032',
      'synthetic',
      '37',
      '15',
    ]);
    // MNIST's (ℓ, s) are the ones tuned for the default backend, ot.
    expect(lines[1]!.split(/\s+/)).toEqual(['mnist', '1x1x28x28', '5,994', 'trained', '26', '9']);
    const json = onlyJson(await secinfer('models', '--json'));
    expect((json.models as { id: string }[]).map((m) => m.id)).toHaveLength(6);
  });

  it('a .npy saved by numpy, fed to an ONNX model, answers as the embedded digit', async () => {
    const onnx = join(ROOT, 'packages/nn/models/mnist-cnn.onnx');
    const [fromFile, embedded] = await Promise.all([
      secinfer(
        'run',
        '--cleartext',
        '--json',
        '--model',
        onnx,
        '--input',
        fixture('digit7-f4.npy'),
      ),
      secinfer('run', '--cleartext', '--json', '--model', onnx, '--input', 'digit:7'),
    ]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const a = onlyJson(fromFile);
    expect(a.class).toBe(7);
    expect(a.logits).toEqual(onlyJson(embedded).logits);
    const wrong = await secinfer(
      'run',
      '--cleartext',
      '--json',
      '--input',
      fixture('rgb8-big-endian.npy'),
    );
    expect(wrong.code).toBe(2);
    expect((onlyJson(wrong).error as { code: string }).code).toBe('NPY_BIG_ENDIAN');
  });

  it('the client takes the backend from the server, and expects --model compiled for it', {
    timeout: 120_000,
  }, async () => {
    const server = start([
      'server',
      '--model',
      'mnist',
      '--backend',
      'he-field',
      '--port',
      '0',
      '--once',
    ]);
    const port = JSON.parse(await waitFor(server, /\{[^\n]*"listening":\d+\}/)).listening;
    // --model without --backend: the expected program is MNIST at he-field's (ℓ, s) = (32, 12),
    // read off the server's card, not at ot's.
    const [r, clear] = await Promise.all([
      secinfer('client', '--connect', `127.0.0.1:${port}`, '--model', 'mnist', '--json'),
      secinfer('run', '--cleartext', '--backend', 'he-field', '--json'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(onlyJson(r)).toMatchObject({ backend: 'he-field', class: 7, ell: 32, scale: 12 });
    expect(onlyJson(r).logits).toEqual(onlyJson(clear).logits);
    expect((await finish(server)).code).toBe(0);
  });

  it('--connect [::1]:port (IPv6 loopback)', { timeout: 120_000 }, async (ctx) => {
    const probe = createServer();
    const v6 = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(0, '::1', () => probe.close(() => resolve(true)));
    });
    if (!v6) ctx.skip('this machine has no IPv6 loopback (::1); the [::1]:port test is skipped');
    const server = start(['server', '--model', 'mnist', '--host', '::1', '--port', '0', '--once']);
    const port = JSON.parse(await waitFor(server, /\{[^\n]*"listening":\d+\}/)).listening;
    const r = await secinfer('client', '--connect', `[::1]:${port}`, '--input', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(onlyJson(r)).toMatchObject({ class: 3 });
    expect((await finish(server)).code).toBe(0);
  });
});
