// Concurrent throughput of `secinfer server`: one server process, K client processes started
// at once (each with its own session: OT setup, the whole model, the answer), all over TCP on
// 127.0.0.1. Prints one JSON line: wall time for all, sessions per second, and each client's
// own seconds, and how many answers equal the cleartext fixed-point answer (all must).
//   node --conditions=@secinfer/source --import tsx apps/demo/scripts/throughput.ts [clients] [ot|he] [concurrency]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chooseScale, mnistCnn, mnistDigit, runFixedPoint, validateGraph } from '@secinfer/nn';

const clients = Number(process.argv[2] ?? 8);
const backend = process.argv[3] ?? 'ot';
const concurrency = Number(process.argv[4] ?? clients);
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const node = (args: string[]) =>
  spawn(process.execPath, ['--conditions=@secinfer/source', '--import', 'tsx', cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });

function output(child: ReturnType<typeof node>): Promise<string> {
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  return new Promise((resolve, reject) =>
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`)))),
  );
}

const server = node([
  'server',
  '--model',
  'mnist',
  '--backend',
  backend,
  '--port',
  '0',
  '--concurrency',
  String(concurrency),
]);
const port = await new Promise<number>((resolve) => {
  let seen = '';
  server.stdout!.on('data', (d) => {
    seen += d;
    const m = / on 127\.0\.0\.1:(\d+)/.exec(seen);
    if (m) resolve(Number(m[1]));
  });
});
const start = performance.now();
const digits = Array.from({ length: clients }, (_, i) => i % 10);
const results = await Promise.all(
  digits.map((d) =>
    output(
      node([
        'client',
        '--connect',
        `127.0.0.1:${port}`,
        '--backend',
        backend,
        '--input',
        `digit:${d}`,
        '--json',
      ]),
    ).then(
      (out) => JSON.parse(out.trim().split('\n').pop()!) as { class: number; seconds: number },
    ),
  ),
);
const wall = (performance.now() - start) / 1000;
server.kill('SIGTERM');
// The server's model: calibrated on the ten embedded digits, as `secinfer server` does.
const graph = validateGraph(mnistCnn());
const calibration = Array.from({ length: 10 }, (_, d) => ({ input: mnistDigit(d) }));
const { model } = chooseScale(graph, calibration, { ell: 32 });
const argmax = (v: Float64Array) => v.indexOf(Math.max(...v));
const correct = results.filter(
  (r, i) => r.class === argmax(runFixedPoint(model, { input: mnistDigit(digits[i]!) }).logits!),
).length;
console.log(
  JSON.stringify({
    clients,
    backend,
    concurrency,
    wallSeconds: Number(wall.toFixed(2)),
    sessionsPerSecond: Number((clients / wall).toFixed(3)),
    clientSeconds: results.map((r) => Number(r.seconds.toFixed(2))),
    correct,
  }),
);
