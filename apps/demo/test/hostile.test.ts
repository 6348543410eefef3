// A `secinfer server` facing hostile clients on 127.0.0.1: garbage before and after the
// handshake, oversized headers, a trickle, a wrong program digest, a disconnect mid-protocol,
// a client that never reads, a crowd of idle connections and a frame fuzzer. Each ends in a
// typed failure (the code the server logs for that client's address) within seconds, every
// ABORT frame the server sends holds a code and nothing else, and honest MNIST/ot sessions
// running meanwhile get the cleartext answer. Each hostile client connects from its own
// loopback address (127.0.0.k), so the per-address limit is exercised without starving the
// honest client on 127.0.0.1.
import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { encodeHeader, FrameDecoder, FrameKind, seededRandom } from '@secinfer/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_ARGS, ROOT, run } from './cli-process.js';

// Limits small enough that every case ends in seconds, large enough for an honest session
// on a loaded 2-core machine (its longest silence is a few hundred ms).
const HANDSHAKE_TIMEOUT_S = 2;
const IDLE_TIMEOUT_S = 3;
const PER_ADDRESS = 4;
/** How long any hostile connection may live: the slowest limit plus slack. */
const BOUND_MS = (IDLE_TIMEOUT_S + HANDSHAKE_TIMEOUT_S + 3) * 1000;

let server: ChildProcess;
let log = '';
let port = 0;

/** An honest client: its logits, as JSON. */
async function honest(): Promise<number[]> {
  const r = await run(['client', '--connect', `127.0.0.1:${port}`, '--input', 'digit:3', '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).logits;
}

let cleartext: number[];
/** Whether this machine routes all of 127.0.0.0/8 to loopback (Linux does; some do not). */
let manyLoopbacks = false;

function probeLoopback(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net
      .createServer((c) => c.destroy())
      .listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as net.AddressInfo;
        const socket = net.connect({ host: '127.0.0.1', port: p, localAddress: '127.0.0.2' });
        const done = (ok: boolean) => {
          socket.destroy();
          probe.close();
          resolve(ok);
        };
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
      });
  });
}

beforeAll(async () => {
  manyLoopbacks = await probeLoopback();
  if (!manyLoopbacks) return;
  server = spawn(
    process.execPath,
    [
      ...NODE_ARGS,
      'server',
      '--model',
      'mnist',
      '--port',
      '0',
      '--concurrency',
      '3',
      '--per-address',
      String(PER_ADDRESS),
      '--handshake-timeout',
      String(HANDSHAKE_TIMEOUT_S),
      '--idle-timeout',
      String(IDLE_TIMEOUT_S),
      '--session-deadline',
      '30',
      '--max-message',
      '64',
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  server.stdout!.on('data', (d) => {
    log += d;
  });
  const [clear] = await Promise.all([
    run(['run', '--cleartext', '--input', 'digit:3', '--json']),
    new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        const m = /on 127\.0\.0\.1:(\d+),/.exec(log);
        if (m) {
          port = Number(m[1]);
          clearInterval(poll);
          resolve();
        }
      }, 20);
    }),
  ]);
  cleartext = JSON.parse(clear.stdout).logits;
});

afterAll(() => {
  server?.kill();
});

/** What one raw connection saw: the frames the server sent and when it was closed. */
interface Seen {
  frames: { kind: number; payload: Uint8Array }[];
  closedAfterMs: number;
  socket: net.Socket;
}

/**
 * A raw connection from 127.0.0.`k`; `act` drives it once connected. Resolves when the server
 * has closed it (or rejects past the bound).
 */
function hostile(k: number, act: (socket: net.Socket, seen: Seen) => void): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: `127.0.0.${k}` });
    const seen: Seen = { frames: [], closedAfterMs: -1, socket };
    const decoder = new FrameDecoder(2 ** 30);
    const start = performance.now();
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection from 127.0.0.${k} outlived ${BOUND_MS} ms`));
    }, BOUND_MS);
    socket.on('data', (chunk) => {
      for (const frame of decoder.push(chunk)) seen.frames.push(frame);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      seen.closedAfterMs = performance.now() - start;
      resolve(seen);
    });
    socket.on('connect', () => act(socket, seen));
  });
}

/** Calls `then` once the server's hello (its third frame: card, program, hello) arrived. */
function afterHello(socket: net.Socket, seen: Seen, then: (hello: Uint8Array) => void): void {
  const check = () => {
    if (seen.frames.length < 3) return;
    socket.off('data', check);
    then(seen.frames[2]!.payload);
  };
  socket.on('data', check);
}

function frame(kind: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  out.set(encodeHeader(kind as FrameKind, payload.length));
  out.set(payload, 5);
  return out;
}

function randomBytes(random: () => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

/** The code the server logged for the session from 127.0.0.`k`. */
async function loggedCode(k: number): Promise<string> {
  const pattern = new RegExp(`from 127\\.0\\.0\\.${k}:\\d+: .* failed .*: \\[([A-Z_]+)\\]`);
  for (let i = 0; i < 100; i++) {
    const m = pattern.exec(log);
    if (m) return m[1]!;
    await new Promise((r) => setTimeout(r, 50));
  }
  return 'none logged';
}

const ABORT_CODE = /^[A-Z][A-Z0-9_]*$/;

function abortsHoldOnlyCodes(seen: Seen): void {
  for (const f of seen.frames)
    if (f.kind === FrameKind.ABORT) expect(new TextDecoder().decode(f.payload)).toMatch(ABORT_CODE);
}

describe('secinfer server against hostile clients', () => {
  const SKIP =
    'this machine does not route 127.0.0.k to loopback; the hostile-client tests are skipped';

  it('ends each attack in a typed, bounded failure while an honest session gets the cleartext answer', async (ctx) => {
    if (!manyLoopbacks) ctx.skip(SKIP);
    const random = seededRandom(22);
    const cases: { k: number; code: string; attack: Promise<Seen> }[] = [];
    const add = (k: number, code: string, act: (s: net.Socket, seen: Seen) => void) =>
      cases.push({ k, code, attack: hostile(k, act) });

    const honestRun = honest();
    add(10, 'MALFORMED_FRAME', (s) => s.write(randomBytes(random, 1024).fill(7, 0, 1)));
    add(11, 'MALFORMED_FRAME', (s) => s.write(frame(FrameKind.DATA, randomBytes(random, 3000))));
    add(12, 'FRAME_TOO_LARGE', (s) => s.write(encodeHeader(FrameKind.DATA, 2 ** 30)));
    add(13, 'FRAME_TOO_LARGE', (s, seen) =>
      afterHello(s, seen, (hello) => {
        s.write(frame(FrameKind.DATA, hello));
        s.write(encodeHeader(FrameKind.DATA, 2 ** 31)); // over --max-message after the handshake
      }),
    );
    add(14, 'UNEXPECTED_LENGTH', (s, seen) =>
      afterHello(s, seen, (hello) => {
        s.write(frame(FrameKind.DATA, hello));
        s.write(frame(FrameKind.DATA, randomBytes(random, 100)));
      }),
    );
    // A trickle after the handshake: 5 bytes every 200 ms never counts as progress.
    add(15, 'TIMEOUT', (s, seen) =>
      afterHello(s, seen, (hello) => {
        s.write(frame(FrameKind.DATA, hello));
        s.write(encodeHeader(FrameKind.DATA, 32));
        const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write('x')), 200);
      }),
    );
    add(16, 'HANDSHAKE_MISMATCH', (s, seen) =>
      afterHello(s, seen, (hello) => {
        const wrong = JSON.parse(new TextDecoder().decode(hello));
        wrong.params.model = '0'.repeat(64);
        s.write(frame(FrameKind.DATA, new TextEncoder().encode(JSON.stringify(wrong))));
      }),
    );
    add(17, 'PEER_CLOSED', (s, seen) =>
      afterHello(s, seen, (hello) => {
        s.write(frame(FrameKind.DATA, hello));
        setTimeout(() => s.destroy(), 100);
      }),
    );
    // Never reads, never speaks: the handshake's clock ends it (the client looks only later).
    add(18, 'TIMEOUT', (s) => {
      s.pause();
      setTimeout(() => s.resume(), (HANDSHAKE_TIMEOUT_S + 1) * 1000);
    });
    // A trickle before the handshake: the handshake's clock ends it, not the idle timer.
    add(19, 'TIMEOUT', (s) => {
      s.write(encodeHeader(FrameKind.DATA, 40));
      const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write('x')), 100);
    });

    // 500 idle connections from one address: beyond --per-address they are closed at once.
    const crowd = Array.from({ length: 500 }, () => hostile(200, () => {}));

    const [logits, ...seen] = await Promise.all([honestRun, ...cases.map((c) => c.attack)]);
    expect(logits).toEqual(cleartext);
    for (const [i, c] of cases.entries()) {
      expect(seen[i]!.closedAfterMs).toBeLessThan(BOUND_MS);
      abortsHoldOnlyCodes(seen[i]!);
      expect(await loggedCode(c.k), `client 127.0.0.${c.k}`).toBe(c.code);
    }
    const crowdSeen = await Promise.all(crowd);
    const refusedAtOnce = crowdSeen.filter((s) => s.frames.length === 0 && s.closedAfterMs < 1000);
    expect(refusedAtOnce.length).toBeGreaterThanOrEqual(500 - PER_ADDRESS);
    for (const s of crowdSeen) expect(s.closedAfterMs).toBeLessThan(BOUND_MS);
    // The ABORTs that did cross held a code, and the codes a test can provoke are among them.
    const aborts = seen.flatMap((s) =>
      s.frames
        .filter((f) => f.kind === FrameKind.ABORT)
        .map((f) => new TextDecoder().decode(f.payload)),
    );
    expect(aborts).toEqual(expect.arrayContaining(['HANDSHAKE_MISMATCH', 'UNEXPECTED_LENGTH']));
  });

  it('survives a frame fuzzer and still serves an honest client', async (ctx) => {
    if (!manyLoopbacks) ctx.skip(SKIP);
    const random = seededRandom(2222);
    const attacks = Array.from({ length: 40 }, (_, i) =>
      hostile(30 + (i % 60), (s, seen) => {
        const mode = i % 4;
        if (mode === 0) s.end(randomBytes(random, 1 + Math.floor(random() * 200)));
        else if (mode === 1)
          s.end(
            encodeHeader(Math.floor(random() * 3) as FrameKind, Math.floor(random() * 2 ** 32)),
          );
        else
          afterHello(s, seen, (hello) => {
            const bytes = frame(FrameKind.DATA, hello);
            // Flip a byte of the hello (mode 2) or follow it with random frames (mode 3).
            if (mode === 2)
              bytes[5 + Math.floor(random() * hello.length)]! ^= 1 + Math.floor(random() * 255);
            s.write(bytes);
            if (mode === 3)
              for (let j = 0; j < 4; j++)
                s.write(
                  frame(Math.floor(random() * 2), randomBytes(random, Math.floor(random() * 64))),
                );
          });
      }),
    );
    const seen = await Promise.all(attacks);
    for (const s of seen) {
      expect(s.closedAfterMs).toBeLessThan(BOUND_MS);
      abortsHoldOnlyCodes(s);
    }
    expect(await honest()).toEqual(cleartext);
    expect(server.exitCode).toBeNull();
  });
});
