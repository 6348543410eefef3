/**
 * `pnpm soak [--sessions N] [--he-sessions N] [--concurrency N] [--warmup N] [--json FILE]`
 *
 * Starts one `secinfer server` (MNIST, backends ot and he) and runs N ot and N he sessions
 * against it one at a time, then the same again with `--concurrency` clients at once (defaults
 * 200, 20, 8). Progress goes to stderr, a table to stdout, the whole result as JSON to FILE.
 * Exits 1 if an answer differs from cleartext, a session fails, or the server's RSS or
 * WebAssembly heap grew more than 10 % past its reading after the first `--warmup` sessions of a
 * phase (default 10; a phase needs twice that many sessions to be checked).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Flatness, LeakVerdict } from './leak.js';
import { type PhaseResult, runSoak, type SoakOptions } from './soak.js';

const SCHEMA_VERSION = 1;

function options(argv: string[]): SoakOptions & { json?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      sessions: { type: 'string', default: '200' },
      'he-sessions': { type: 'string', default: '20' },
      concurrency: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '10' },
      json: { type: 'string' },
    },
    strict: true,
  });
  const count = (name: 'sessions' | 'he-sessions' | 'concurrency' | 'warmup', min: number) => {
    const v = Number(values[name]);
    if (!Number.isSafeInteger(v) || v < min)
      throw new Error(`--${name} wants an integer ≥ ${min}, got ${values[name]}`);
    return v;
  };
  return {
    sessions: count('sessions', 0),
    heSessions: count('he-sessions', 0),
    concurrency: count('concurrency', 1),
    warmup: count('warmup', 1),
    json: values.json,
  };
}

function growth(f: Flatness): string {
  return `${f.baseline.toFixed(1)} → ${f.end.toFixed(1)} (${f.growth >= 0 ? '+' : ''}${(100 * f.growth).toFixed(1)} %)`;
}

function leakCells(leak: LeakVerdict): [string, string, string] {
  if (!leak.checked) return ['-', '-', `unchecked: ${leak.reason}`];
  return [growth(leak.rss), growth(leak.wasm), leak.ok ? 'flat' : 'GREW'];
}

function table(phases: readonly PhaseResult[]): string {
  const header = [
    'phase',
    'ot',
    'he',
    'seconds',
    'sessions/s',
    'ot s/session',
    'he s/session',
    'exact',
    'failed',
    'RSS MiB',
    'WASM heap MiB',
    'leak check',
  ];
  const rows = phases.map((p) => [
    p.name,
    String(p.sessions.ot),
    String(p.sessions.he),
    p.seconds.toFixed(1),
    ((p.sessions.ot + p.sessions.he) / p.seconds).toFixed(2),
    p.meanSessionSeconds.ot.toFixed(2),
    p.meanSessionSeconds.he.toFixed(2),
    `${p.exact}/${p.sessions.ot + p.sessions.he}`,
    String(p.failures.length),
    ...leakCells(p.leak),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const opts = options(argv);
  const total = opts.sessions + opts.heSessions;
  const every = Math.max(1, Math.round(total / 10));
  const result = await runSoak(opts, (p) => {
    if (p.done % every !== 0 && p.done !== p.total) return;
    const memory = p.sample
      ? `, server rss ${p.sample.rssMiB.toFixed(1)} MiB, wasm heap ${p.sample.wasmMiB.toFixed(1)} MiB`
      : '';
    process.stderr.write(
      `soak ${p.phase}: ${p.done}/${p.total} sessions in ${p.seconds.toFixed(1)} s, ${p.failures} failed${memory}\n`,
    );
  });
  for (const p of result.phases)
    for (const f of p.failures) process.stderr.write(`${p.name}: ${f}\n`);
  console.log(table(result.phases));
  if (opts.json) {
    const { json, ...soakOptions } = opts;
    writeFileSync(
      json,
      `${JSON.stringify({ schemaVersion: SCHEMA_VERSION, options: soakOptions, ...result }, null, 2)}\n`,
    );
  }
  if (!result.ok) process.exitCode = 1;
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`soak: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
