/**
 * `pnpm bench <suite> [--op NAME] [--n N] [--ell L] [--threads T] [--link none|lan|wan|cryptflow2-lan|cryptflow2-wan] [--ot iknp|silent] [--json]`
 *
 * Finds the suite in packages/*\/bench/<suite>.bench.ts (or apps/*), runs each op with the two
 * parties as two OS processes over TCP on 127.0.0.1 (the way the C++ reference's figures were
 * taken), and prints one JSON row per op (--json) or a table. Progress goes to stderr.
 * SECINFER_BENCH_PROFILE=<dir> writes a V8 CPU profile of each party into <dir>.
 */
import { fork } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isLinkPreset, LINK_PRESETS } from '@secinfer/transport';
import type { PartyConfig, PartyMessage, PartyResult } from './party.js';
import type { BenchArgs, BenchRow, Suite } from './suite.js';
import { formatTable } from './table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function findSuites(): Map<string, string> {
  const suites = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    for (const pkg of readdirSync(join(root, group))) {
      const dir = join(root, group, pkg, 'bench');
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir)) {
        if (file.endsWith('.bench.ts'))
          suites.set(file.slice(0, -'.bench.ts'.length), join(dir, file));
      }
    }
  }
  return suites;
}

interface CliOptions {
  suite: string;
  ops: string[];
  args: BenchArgs;
  json: boolean;
}

function usage(suites: Map<string, string>): string {
  return (
    'usage: pnpm bench <suite> [--op NAME]... [--n N] [--ell L] [--threads T] [--link none|lan|wan|cryptflow2-lan|cryptflow2-wan]\n' +
    '                  [--model ID] [--backend ot|he|he-field|auto] [--ot iknp|silent] [--json]\n' +
    `suites: ${[...suites.keys()].sort().join(', ')}`
  );
}

function parse(argv: string[], suites: Map<string, string>): CliOptions {
  const positional: string[] = [];
  const ops: string[] = [];
  const args: BenchArgs = { n: undefined, ell: undefined, threads: 1, link: 'none' };
  let json = false;
  const number = (flag: string, value: string | undefined): number => {
    const parsed = Number(value);
    if (!Number.isSafeInteger(parsed) || parsed <= 0)
      throw new Error(`${flag} wants a positive integer, got ${value}`);
    return parsed;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--json') json = true;
    else if (flag === '--n') args.n = number(flag, argv[++i]);
    else if (flag === '--ell') args.ell = number(flag, argv[++i]);
    else if (flag === '--threads') args.threads = number(flag, argv[++i]);
    else if (flag === '--op') ops.push(argv[++i] ?? '');
    else if (flag === '--model') args.model = argv[++i];
    else if (flag === '--backend') {
      const backend = argv[++i];
      if (backend !== 'ot' && backend !== 'he' && backend !== 'he-field' && backend !== 'auto')
        throw new Error(`--backend wants ot, he, he-field or auto, got ${backend}`);
      args.backend = backend;
    } else if (flag === '--ot') {
      const source = argv[++i];
      if (source !== 'iknp' && source !== 'silent')
        throw new Error(`--ot wants iknp or silent, got ${source}`);
      args.ot = source;
    } else if (flag === '--link') {
      const link = argv[++i];
      if (link === undefined || (link !== 'none' && !isLinkPreset(link)))
        throw new Error(
          `--link wants none or one of ${Object.keys(LINK_PRESETS).join(', ')}, got ${link}`,
        );
      args.link = link;
    } else if (flag.startsWith('--')) throw new Error(`unknown option ${flag}\n${usage(suites)}`);
    else positional.push(flag);
  }
  if (positional.length !== 1) throw new Error(usage(suites));
  // In suites whose ops are models (networks), --model names the op.
  if (args.model !== undefined && ops.length === 0) ops.push(args.model);
  return { suite: positional[0]!, ops, args, json };
}

function runParty(
  config: Omit<PartyConfig, 'port'>,
  port: number,
  onListening?: (port: number) => void,
): Promise<PartyResult> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(fileURLToPath(new URL('./party.ts', import.meta.url)), [], {
      execArgv: [
        '--conditions=@secinfer/source',
        '--import',
        'tsx',
        // SECINFER_BENCH_PROFILE=<dir> writes V8 CPU profiles of each party to <dir>/<op>-<role>/
        // (one file per thread: the main thread's is the largest; the loader's worker has its own).
        ...(process.env.SECINFER_BENCH_PROFILE
          ? [
              '--cpu-prof',
              `--cpu-prof-dir=${join(process.env.SECINFER_BENCH_PROFILE, `${config.op}-${config.role}`)}`,
            ]
          : []),
      ],
      env: { ...process.env, SECINFER_BENCH_PARTY: JSON.stringify({ ...config, port }) },
      // The parties' stdout goes to our stderr: stdout carries only the rows.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let result: PartyResult | null = null;
    let failure: string | null = null;
    child.on('message', (message: PartyMessage) => {
      if (message.type === 'listening') onListening?.(message.port);
      else if (message.type === 'result') result = message.result;
      else failure = message.message;
    });
    child.on('exit', (code, signal) => {
      if (result) resolvePromise(result);
      else
        reject(
          new Error(
            `${config.role} of ${config.op} failed (${signal ?? `exit ${code}`}): ${failure ?? 'no report'}`,
          ),
        );
    });
  });
}

async function runOp(
  suite: Suite,
  suiteFile: string,
  op: string,
  args: BenchArgs,
): Promise<BenchRow> {
  const base = { suiteFile: pathToFileURL(suiteFile).href, op, args };
  // Settled as soon as started, so a party failing first is never an unhandled rejection.
  const started: { client?: Promise<Settled<PartyResult>> } = {};
  const server = await settle(
    runParty({ ...base, role: 'server' }, 0, (port) => {
      started.client = settle(runParty({ ...base, role: 'client' }, port));
    }),
  );
  const client = (await started.client) ?? {
    error: new Error(`the server of ${op} never listened`),
  };
  // When both failed, the client's error says why; the server only saw a closed peer.
  if ('error' in client) throw client.error;
  if ('error' in server) throw server.error;
  const [serverResult, clientResult] = [server.result, client.result];
  const report = serverResult.report;
  return {
    suite: suite.name,
    op,
    n: report.n,
    ell: report.ell ?? args.ell ?? null,
    threads: args.threads,
    link: args.link,
    ...(args.backend ? { backend: args.backend } : {}),
    ...(args.ot ? { ot: args.ot } : {}),
    seconds: round(Math.max(serverResult.seconds, clientResult.seconds), 6),
    bytes: report.bytes ?? serverResult.bytesSent + clientResult.bytesSent,
    rounds: Math.max(serverResult.rounds, clientResult.rounds),
    peakRssMiB: round(Math.max(serverResult.peakRssMiB, clientResult.peakRssMiB), 1),
    ...report.extra,
    ...report.labels,
  };
}

type Settled<T> = { result: T } | { error: Error };

function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (result) => ({ result }),
    (error: Error) => ({ error }),
  );
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

async function main(): Promise<void> {
  const suites = findSuites();
  const options = parse(process.argv.slice(2), suites);
  const suiteFile = suites.get(options.suite);
  if (!suiteFile) throw new Error(`no suite '${options.suite}'\n${usage(suites)}`);
  const suite = (await import(pathToFileURL(suiteFile).href)).default as Suite;
  const ops = options.ops.length > 0 ? options.ops : suite.ops.map((op) => op.name);
  for (const name of ops) {
    const op = suite.ops.find((candidate) => candidate.name === name);
    if (!op)
      throw new Error(
        `suite ${suite.name} has no op '${name}' (it has ${suite.ops.map((o) => o.name).join(', ')})`,
      );
    if (options.args.threads > 1 && !op.threads)
      throw new Error(`op ${name} runs on one thread per party; drop --threads`);
  }
  const rows: BenchRow[] = [];
  for (const name of ops) {
    process.stderr.write(`bench ${suite.name}/${name} ...\n`);
    const row = await runOp(suite, suiteFile, name, options.args);
    rows.push(row);
    if (options.json) process.stdout.write(`${JSON.stringify(row)}\n`);
  }
  if (!options.json) process.stdout.write(`${formatTable(rows)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.message}\n`);
  process.exit(1);
});
