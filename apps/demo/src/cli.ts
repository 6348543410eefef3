#!/usr/bin/env node
// The `secinfer` command: secure inference of whole networks between a server (the model) and
// a client (the input), as two processes over TCP or in one process, with progress, per-layer
// cost and one-line errors. `secinfer help` lists the commands. stdout carries only results
// (with `--json`: JSON objects, each with a schemaVersion, and nothing else); progress and notes
// go to stderr.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  type Backend,
  type FixedProgram,
  mnistCnn,
  type OtChoice,
  planUsesHe,
  runFixedPoint,
  syntheticWeights,
  type TruncationMode,
  ZOO,
} from '@secinfer/nn';
import {
  type Channel,
  connect,
  connectWebSocket,
  isLinkPreset,
  LINK_PRESETS,
  type LinkPreset,
  type ListenOptions,
  listen,
  listenWebSocket,
  MAX_HELLO_BYTES,
  memoryPair,
  simulateLink,
} from '@secinfer/transport';
import { describeError } from './describe-error.js';
import { CliError } from './errors.js';
import { loadInput } from './inputs.js';
import { type LoadedModel, loadModel, MODEL_IDS } from './models.js';
import { note, printJson } from './output.js';
import {
  type Answer,
  type ModelCard,
  modelCard,
  type Offer,
  requestOne,
  serveOne,
} from './parties.js';
import { argmax, topK } from './ranking.js';
import { layerTable, Progress } from './report.js';
import { tuneCommand, tunedModel } from './tune.js';
// First: the meter must see every WebAssembly module the kernels instantiate.
import { wasmHeapBytes } from './wasm-heap.js';
import { webPage } from './web-page.js';

const HELP = `secinfer — two-party secure neural-network inference (CrypTFlow2)

  secinfer run    [--model mnist] [--backend ot|he|he-field|auto] [--input X] [--link none|lan|wan|cryptflow2-lan|cryptflow2-wan]
                  [--threads T] [--cleartext] [--in-process] [--json] [--scale S] [--ell L]
                  [--ot iknp|silent|auto] [--truncation faithful|approximate]
      both parties on this machine (two processes over loopback; --in-process for one).
      With no options: the trained MNIST model on an embedded real digit. --backend auto: the
      server measures the link and runs each linear layer on OT or HE, whichever its cost model
      predicts faster (the layer table shows the choice and the prediction).
      --ot: the OT extension under the non-linear layers: iknp (default; IKNP and KK13),
      silent (Ferret: a tenth of the bytes, about a second of setup), or auto (silent for
      networks large enough that it pays).
      --truncation approximate: Cheetah's truncation, which may leave each truncated value
      one below the exact one (opt-in; the default faithful keeps secure equal to cleartext).
  secinfer server --model M [--backend B[,B...]] [--host H] [--port P] [--ws-port W [--web]]
                  [--concurrency K] [--once] [--stats] [--ot iknp|silent|auto]
                  [--truncation faithful|approximate] [limits, below]
      holds the weights; serves client sessions, K at once (default 2), more queue (paused,
      not read). --backend ot,he offers both (the first is the default; each client picks).
      --ws-port: WebSocket clients (browsers) on port W too, in the same queue and K
      sessions, under the same limits (counted once over both ports).
      --web: also serve the web client page (apps/web, built first with
      \`pnpm --filter @secinfer/web build\`) over HTTP GET on port W: open http://host:W/.
      --stats: after each session a line with the server's RSS and WebAssembly heap.
      What one client can hold is bounded (0 disables a limit):
        --max-pending N       queued connections; beyond, new ones are closed (default 16)
        --pending-timeout S   a queued connection waits at most S seconds (default 30)
        --per-address N       open connections from one IP address (default 4)
        --handshake-timeout S from leaving the queue to an agreed handshake (default 10);
                              a first frame (the hello) over 4 KiB is refused unread
        --session-deadline S  a whole session, whatever the client does (default 3600)
        --idle-timeout S      a wait for the client with no progress (default 120)
        --min-rate B          bytes/s below which a message's bytes are no progress, so a
                              client cannot trickle a byte now and then (default 4096)
        --max-message MiB     largest message after the handshake (default 256)
      Memory per session stays under 2 × max-message + 256 MiB of unread messages + 32 MiB.
      --cert F --key F: TLS 1.3 with this certificate and key (PEM); clients pin it
      (WebSocket clients connect with wss://).
  secinfer client --connect host:port|ws://host:port|wss://host:port [--input X]
                  [--backend ot|he|he-field|auto] [--model M] [--json] [--pin SHA256]
                  [--ot iknp|silent|auto] [--truncation faithful|approximate]
      holds the input; learns only the prediction. --model checks the server runs that model;
      the backend, OT source and truncation are the server's unless given (a difference fails
      the handshake). IPv6: --connect [::1]:7000. A ws:// or wss:// URL connects to the
      server's --ws-port.
      --pin: TLS, accepting only the server certificate with this SHA-256 fingerprint (hex,
      colons optional): the server's operator hands it to clients with its address.
  secinfer models [--backend ot|he|he-field] [--json]
      the models: id, input shape, parameters, weights (trained or synthetic), ℓ, scale.
  secinfer tune   --model M [--backend ot|he|he-field] [--validation DIR|mnist] [--json]
      chooses ℓ and s on validation inputs (smallest ℓ, then largest s, agreeing with float);
      run/server/client --tune [--validation ...] use that choice.
  secinfer --version

  --json: stdout holds one JSON object with a schemaVersion (an error: {"error": {code,
  message}}) and nothing else; progress and notes always go to stderr.

  models: ${MODEL_IDS.join(', ')}, or a path to an .onnx file (weights of zoo models are synthetic)
  inputs: digit:0..9 (embedded MNIST digits), a .png/.jpg image (ImageNet models: torchvision's
          Resize(256) + CenterCrop(224) + Normalize), or a .npy array (little-endian float16/32/64,
          C order, the input's shape)`;

const OPTIONS = {
  model: { type: 'string' },
  backend: { type: 'string' },
  ot: { type: 'string' },
  truncation: { type: 'string' },
  input: { type: 'string' },
  link: { type: 'string' },
  threads: { type: 'string' },
  cleartext: { type: 'boolean' },
  'in-process': { type: 'boolean' },
  json: { type: 'boolean' },
  scale: { type: 'string' },
  ell: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'ws-port': { type: 'string' },
  web: { type: 'boolean' },
  concurrency: { type: 'string' },
  tune: { type: 'boolean' },
  validation: { type: 'string' },
  once: { type: 'boolean' },
  stats: { type: 'boolean' },
  connect: { type: 'string' },
  'max-pending': { type: 'string' },
  'pending-timeout': { type: 'string' },
  'per-address': { type: 'string' },
  'handshake-timeout': { type: 'string' },
  'session-deadline': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'min-rate': { type: 'string' },
  'max-message': { type: 'string' },
  cert: { type: 'string' },
  key: { type: 'string' },
  pin: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

type Flags = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

type IntegerFlag =
  | 'threads'
  | 'scale'
  | 'ell'
  | 'port'
  | 'ws-port'
  | 'concurrency'
  | 'max-pending'
  | 'per-address'
  | 'min-rate'
  | 'max-message';

function integer(flags: Flags, name: IntegerFlag, min: number): number | undefined {
  const text = flags[name];
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < min)
    throw new CliError('USAGE', `--${name} must be an integer ≥ ${min}, got '${text}'`);
  return v;
}

/** A duration flag in seconds (fractions allowed), as milliseconds. */
function seconds(
  flags: Flags,
  name: 'pending-timeout' | 'handshake-timeout' | 'session-deadline' | 'idle-timeout',
  fallback: number,
): number {
  const text = flags[name];
  if (text === undefined) return fallback * 1000;
  const v = Number(text);
  if (!Number.isFinite(v) || v < 0)
    throw new CliError('USAGE', `--${name} must be a number of seconds ≥ 0, got '${text}'`);
  return Math.round(v * 1000);
}

/** `--cert` and `--key`, read: the server's TLS identity, or none. */
function tlsOf(flags: Flags): { cert: string; key: string } | undefined {
  if (flags.cert === undefined && flags.key === undefined) return undefined;
  if (flags.cert === undefined || flags.key === undefined)
    throw new CliError('USAGE', 'server: --cert and --key go together (PEM files)');
  const read = (file: string, what: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new CliError(
        'USAGE',
        `cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`,
      );
    }
  };
  return { cert: read(flags.cert, 'certificate'), key: read(flags.key, 'key') };
}

/** What `secinfer server` allows one client (see the help). */
function serverLimits(flags: Flags): ListenOptions {
  return {
    maxPending: integer(flags, 'max-pending', 0) ?? 16,
    pendingTimeoutMs: seconds(flags, 'pending-timeout', 30),
    maxPerAddress: integer(flags, 'per-address', 0) ?? 4,
    handshakeFrameBytes: MAX_HELLO_BYTES,
    handshakeTimeoutMs: seconds(flags, 'handshake-timeout', 10),
    sessionDeadlineMs: seconds(flags, 'session-deadline', 3600),
    idleTimeoutMs: seconds(flags, 'idle-timeout', 120),
    minBytesPerSecond: integer(flags, 'min-rate', 0) ?? 4096,
    maxFrameBytes: (integer(flags, 'max-message', 1) ?? 256) * 2 ** 20,
  };
}

function backendOf(flags: Flags): Backend {
  const b = flags.backend ?? 'ot';
  if (b !== 'ot' && b !== 'he' && b !== 'he-field' && b !== 'auto')
    throw new CliError('USAGE', `--backend must be ot, he, he-field or auto, got '${b}'`);
  return b;
}

function otOf(flags: Flags): OtChoice | undefined {
  const o = flags.ot;
  if (o !== undefined && o !== 'iknp' && o !== 'silent' && o !== 'auto')
    throw new CliError('USAGE', `--ot must be iknp, silent or auto, got '${o}'`);
  return o;
}

function truncationOf(flags: Flags): TruncationMode | undefined {
  const t = flags.truncation;
  if (t !== undefined && t !== 'faithful' && t !== 'approximate')
    throw new CliError('USAGE', `--truncation must be faithful or approximate, got '${t}'`);
  return t;
}

/** The options of a session both parties must agree on besides the backend, as the flags give them. */
function partyOptions(flags: Flags) {
  return {
    threads: integer(flags, 'threads', 1),
    ot: otOf(flags),
    truncation: truncationOf(flags),
  };
}

/** `--backend` of the server: one backend or a comma-separated list, without repeats. */
function backendsOf(flags: Flags): Backend[] {
  const names = (flags.backend ?? 'ot').split(',');
  const backends = names.map((name) => backendOf({ ...flags, backend: name }));
  if (new Set(backends).size !== backends.length)
    throw new CliError('USAGE', `--backend names a backend twice: '${flags.backend}'`);
  return backends;
}

function linkOf(flags: Flags): LinkPreset | undefined {
  const l = flags.link ?? 'none';
  if (l === 'none') return undefined;
  if (!isLinkPreset(l))
    throw new CliError(
      'USAGE',
      `--link must be none or one of ${Object.keys(LINK_PRESETS).join(', ')}, got '${l}'`,
    );
  return l;
}

function withLink(channel: Channel, link: LinkPreset | undefined): Channel {
  return link ? simulateLink(channel, link) : channel;
}

function loadCompiled(flags: Flags, backend: Backend = backendOf(flags)): LoadedModel {
  const spec = flags.model ?? 'mnist';
  if (spec !== 'mnist' || flags.tune) note(`compiling ${spec} (choosing the fixed-point scale)…`);
  const m = loadModel(spec, {
    scale: integer(flags, 'scale', 0),
    ell: integer(flags, 'ell', 2),
    backend,
  });
  return flags.tune ? tunedModel(m, backend, flags.validation) : m;
}

/** Prints the answer (human form, or the JSON line). */
function printAnswer(
  flags: Flags,
  backend: Backend | 'cleartext',
  a: Answer,
  rows?: Progress,
): void {
  const cls = argmax(a.logits);
  const name = (i: number) => a.card.classes?.[i] ?? String(i);
  const bytes = a.report.bytesSent + a.report.bytesReceived;
  if (!flags.json) {
    if (rows && rows.rows.length > 0) {
      console.log(
        layerTable(
          rows.rows,
          { seconds: a.report.seconds, bytes, rounds: a.report.rounds },
          a.report.plan,
        ),
      );
      console.log();
    }
    const truth =
      a.input.label === undefined
        ? ''
        : ` (true label ${a.input.label}${a.input.label === cls ? ', correct' : ', WRONG'})`;
    console.log(`prediction: ${name(cls)}${truth}`);
    if (a.logits.length > 10) {
      console.log('top 5:');
      for (const i of topK(a.logits, 5))
        console.log(`  ${String(i).padStart(4)}  ${name(i).padEnd(32)} ${a.logits[i]!.toFixed(4)}`);
    } else {
      console.log(`logits: ${Array.from(a.logits, (v) => v.toFixed(3)).join(' ')}`);
    }
    if (backend !== 'cleartext') {
      const usesHe =
        backend === 'auto'
          ? a.report.plan !== undefined && planUsesHe(a.report.plan)
          : backend !== 'ot';
      console.log(
        `cost: ${a.report.seconds.toFixed(2)} s, ${(bytes / 2 ** 20).toFixed(2)} MiB, ${a.report.rounds} rounds (${a.report.ot === 'silent' ? 'silent ' : ''}OT${usesHe ? ' and HE key' : ''} setup ${a.report.setupSeconds.toFixed(2)} s, ${(a.report.setupBytes / 2 ** 20).toFixed(2)} MiB)`,
      );
    }
    if (a.card.weights === 'synthetic')
      note(
        'note: this zoo model has synthetic (seeded random) weights; its class is not meaningful.',
      );
    return;
  }
  printJson({
    model: a.card.id,
    backend,
    weights: a.card.weights,
    ell: a.card.ell,
    scale: a.card.scale,
    class: cls,
    className: name(cls),
    label: a.input.label,
    logits: Array.from(a.logits),
    seconds: a.report.seconds,
    bytes,
    rounds: a.report.rounds,
    setupSeconds: a.report.setupSeconds,
    setupBytes: a.report.setupBytes,
    ...(a.report.messageBound
      ? { messageBound: a.report.messageBound, largestMessage: a.report.largestMessage }
      : {}),
    ...(a.report.ot ? { ot: a.report.ot } : {}),
    ...(a.truncation ? { truncation: a.truncation } : {}),
    ...(a.report.plan
      ? {
          plan: a.report.plan.layers.map(({ node, backend, predictedSeconds }) => ({
            node,
            backend,
            predictedSeconds,
          })),
        }
      : {}),
  });
}

function cardOf(m: LoadedModel): ModelCard {
  return modelCard(m);
}

function header(flags: Flags, card: ModelCard, backend: string, input: string): void {
  if (flags.json) return;
  console.log(
    `secinfer: ${card.title} [${card.weights} weights], backend ${backend}, ℓ = ${card.ell}, s = ${card.scale}`,
  );
  console.log(`input: ${input}`);
}

async function runCleartext(flags: Flags): Promise<void> {
  const m = loadCompiled(flags);
  const input = loadInput(flags.input, m.input);
  const start = performance.now();
  const out = runFixedPoint(m.model, { [m.model.program.inputs[0]!.name]: input.data });
  const integers = out[m.model.program.outputs[0]!.name]!;
  const seconds = (performance.now() - start) / 1000;
  header(flags, cardOf(m), 'cleartext fixed point', input.source);
  printAnswer(flags, 'cleartext', {
    card: cardOf(m),
    input,
    logits: integers.map((v) => v / 2 ** m.model.program.scale),
    report: { seconds, bytesSent: 0, bytesReceived: 0, rounds: 0, setupSeconds: 0, setupBytes: 0 },
    backend: 'ot',
  });
}

async function client(
  flags: Flags,
  channel: Channel,
  backend: Backend | undefined,
  expected?: (card: ModelCard) => FixedProgram,
): Promise<void> {
  const progress = new Progress();
  const answer = await requestOne(channel, flags.input, {
    backend,
    threads: integer(flags, 'threads', 1),
    ot: otOf(flags),
    truncation: truncationOf(flags),
    progress: flags.json ? undefined : progress,
    expected,
  });
  progress.finish();
  header(flags, answer.card, answer.backend, answer.input.source);
  printAnswer(flags, answer.backend, answer, progress);
}

/** Starts `secinfer server --once` as a child process and returns its port. */
async function spawnServer(
  flags: Flags,
  backend: Backend,
): Promise<{ port: number; done: Promise<number> }> {
  const args = [
    ...process.execArgv,
    process.argv[1]!,
    'server',
    '--once',
    '--port',
    '0',
    // A child of this process serves only it: the limits for strangers stay as they were
    // before they existed, so the largest networks run to the end on a slow link.
    '--session-deadline',
    '0',
    '--idle-timeout',
    '300',
    '--max-message',
    '1024',
    '--backend',
    backend,
    '--model',
    flags.model ?? 'mnist',
  ];
  for (const name of ['scale', 'ell', 'link', 'threads', 'validation', 'ot', 'truncation'] as const)
    if (flags[name] !== undefined) args.push(`--${name}`, String(flags[name]));
  if (flags.tune) args.push('--tune');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.once('line', (line) => {
      const port = (JSON.parse(line) as { listening?: number }).listening;
      if (port) resolve(port);
      else reject(new CliError('SERVER_PROCESS_FAILED', `the server process said: ${line}`, 1));
    });
    child.once('exit', (code) =>
      reject(
        new CliError(
          'SERVER_PROCESS_FAILED',
          `the server process exited (code ${code}) before listening`,
          1,
        ),
      ),
    );
  });
  process.once('exit', () => child.kill());
  return { port, done };
}

async function run(flags: Flags): Promise<void> {
  if (flags.cleartext) return runCleartext(flags);
  const backend = backendOf(flags);
  const link = linkOf(flags);
  // Checked here, not only by the server process, so a bad flag is a usage error.
  const options = partyOptions(flags);
  if (flags['in-process']) {
    const m = loadCompiled(flags);
    const [a, b] = memoryPair();
    const serving = serveOne(withLink(a, link), new Map([[backend, m]]), options);
    await Promise.all([serving, client(flags, withLink(b, link), backend)]);
    return;
  }
  const server = await spawnServer(flags, backend);
  const channel = withLink(await connect({ port: server.port }), link);
  await client(flags, channel, backend);
  await channel.close();
  const code = await server.done;
  if (code !== 0)
    throw new CliError('SERVER_PROCESS_FAILED', `the server process failed (exit code ${code})`, 1);
}

/** The line `--stats` prints after each session: what a leak would make grow. */
function statsLine(id: number, active: number): string {
  const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
  return `stats after session ${id}: rss ${mib(process.memoryUsage.rss())} MiB, wasm heap ${mib(wasmHeapBytes())} MiB, ${active} session(s) active`;
}

async function server(flags: Flags): Promise<void> {
  const backends = backendsOf(flags);
  // Parsed before listening, so a bad flag fails at once rather than in the first session.
  const options = partyOptions(flags);
  const link = linkOf(flags);
  const once = flags.once === true;
  const log = (line: string) => (once ? process.stderr : process.stdout).write(`${line}\n`);
  if (!flags.model) throw new CliError('USAGE', 'server: --model is required (e.g. --model mnist)');
  if (flags.web && flags['ws-port'] === undefined)
    throw new CliError(
      'USAGE',
      'server: --web serves the page on the WebSocket port: add --ws-port W',
    );
  // Read before the model compiles: a missing build fails at startup, not at a browser's first request.
  const page = flags.web ? webPage() : undefined;
  const offer: Offer = new Map(backends.map((b) => [b, loadCompiled(flags, b)]));
  const m = offer.get(backends[0]!)!;
  const offered = backends.join(', ');
  const host = flags.host ?? '127.0.0.1';
  const concurrency = integer(flags, 'concurrency', 1) ?? 2;
  const limits = { ...serverLimits(flags), tls: tlsOf(flags) };
  const listener = await listen({ host, port: integer(flags, 'port', 0) ?? 7000 }, limits);
  const wsPort = integer(flags, 'ws-port', 0);
  // One queue for both: TCP and WebSocket clients wait in one line for the same slots, and a
  // stranger's connections count once against --per-address and --max-pending.
  const wsListener =
    wsPort === undefined
      ? undefined
      : await listenWebSocket(
          { host, port: wsPort },
          { ...limits, shareQueueWith: listener, ...(page ? { onRequest: page } : {}) },
        );
  const listeners = wsListener ? [listener, wsListener] : [listener];
  const where = host.includes(':') ? `[${host}]` : host;
  if (once)
    printJson(
      wsListener
        ? { listening: listener.port, listeningWebSocket: wsListener.port }
        : { listening: listener.port },
    );
  else
    log(
      `secinfer server: ${m.title} [${m.weights} weights], backend ${offered}, OT ${options.ot ?? 'iknp'}${options.truncation === 'approximate' ? ', approximate truncation' : ''}, ℓ = ${m.model.program.ell}, s = ${m.model.program.scale}, on ${where}:${listener.port}, ${wsListener ? `WebSocket on ${limits.tls ? 'wss' : 'ws'}://${where}:${wsListener.port}, ` : ''}${wsListener && page ? `web page on ${limits.tls ? 'https' : 'http'}://${where}:${wsListener.port}/, ` : ''}${concurrency} session(s) at once`,
    );
  let active = 0;
  let number = 0;
  let freed: (() => void) | null = null;
  const stop = () => {
    for (const l of listeners) void l.close();
    freed?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let failed = false;
  for (;;) {
    // A slot first, then accept: a connection waits in the listeners' queue, paused (nothing
    // read, no clock of its session running) until a session can start.
    while (active >= concurrency) await new Promise<void>((resolve) => (freed = resolve));
    let raw: Channel;
    try {
      raw = await listener.accept();
    } catch {
      return; // the listener closed
    }
    const id = ++number;
    active++;
    const channel = withLink(raw, link);
    const start = performance.now();
    const session = serveOne(channel, offer, options)
      .then(({ backend, report: r }) => {
        const mib = (r.bytesSent + r.bytesReceived) / 2 ** 20;
        // Under `secinfer run` the client prints the cost; the child server stays quiet.
        if (!once)
          log(
            `session ${id} from ${raw.remoteAddress ?? '?'}: ${m.id}/${backend} ok in ${r.seconds.toFixed(2)} s, ${mib.toFixed(2)} MiB, ${r.rounds} rounds`,
          );
      })
      .catch((e: unknown) => {
        failed = true;
        const mib = (channel.stats.bytesSent + channel.stats.bytesReceived) / 2 ** 20;
        // The details stay here, in the server's log: the client was told only a code.
        const { code, message } = describeError(e);
        log(
          `session ${id} from ${raw.remoteAddress ?? '?'}: ${m.id}/${backends.join('|')} failed after ${((performance.now() - start) / 1000).toFixed(2)} s, ${mib.toFixed(2)} MiB: [${code}] ${message}`,
        );
      })
      .finally(() => {
        active--;
        if (flags.stats) log(statsLine(id, active));
        const wake = freed;
        freed = null;
        wake?.();
        void channel.close().catch(() => {});
      });
    if (once) {
      await session;
      for (const l of listeners) await l.close();
      if (failed) process.exitCode = 1;
      return;
    }
  }
}

/** `--pin`, checked: a SHA-256 fingerprint in hex, colons optional. */
function pinOf(pin: string): string {
  if (!/^[0-9A-Fa-f]{64}$/.test(pin.replace(/:/g, '')))
    throw new CliError(
      'USAGE',
      `--pin must be a SHA-256 fingerprint (64 hex digits), got '${pin}'`,
    );
  return pin;
}

/** `--connect`: a WebSocket URL, or host:port (TCP). */
function connectTo(where: string, pin: string | undefined): Promise<Channel> {
  const tls = pin === undefined ? undefined : { pin: pinOf(pin) };
  if (/^wss?:\/\//.test(where)) {
    if (where.startsWith('wss:') !== (tls !== undefined))
      throw new CliError('USAGE', 'client: a wss:// URL needs --pin, and --pin needs wss://');
    return connectWebSocket(where, { tls });
  }
  // An IPv6 literal is bracketed, as in a URL: [::1]:7000.
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]]*)):(\d+)$/.exec(where);
  if (!match)
    throw new CliError(
      'USAGE',
      `--connect must be host:port, [ipv6]:port or a ws:// or wss:// URL, got '${where}'`,
    );
  return connect({ host: match[1] ?? (match[2] || '127.0.0.1'), port: Number(match[3]) }, { tls });
}

async function clientCommand(flags: Flags): Promise<void> {
  const where = flags.connect;
  if (!where) throw new CliError('USAGE', 'client: --connect host:port is required');
  const backend = flags.backend === undefined ? undefined : backendOf(flags);
  // What to expect depends on the backend, which is the server's (its card) unless given.
  const expected = flags.model
    ? (card: ModelCard) => loadCompiled(flags, backend ?? card.backend ?? 'ot').model.program
    : undefined;
  const channel = withLink(await connectTo(where, flags.pin), linkOf(flags));
  await client(flags, channel, backend, expected);
  await channel.close();
}

/** The package's version, read beside the source (src/) and the build (dist/) alike. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return (pkg as { version: string }).version;
}

/** Parameters (weights, biases, batch-norm scales and shifts) of a graph, as PyTorch counts them. */
function parameterCount(nodes: readonly object[]): number {
  let n = 0;
  for (const node of nodes as { kind: string; [k: string]: unknown }[])
    for (const field of ['weight', 'bias', 'scale'] as const) {
      const tensor = node[field] as { data?: ArrayLike<number> } | undefined;
      if (tensor?.data) n += tensor.data.length;
    }
  return n;
}

/**
 * `secinfer models`: one row per model id (the zoo's ℓ and calibrated default scale; MNIST's
 * (ℓ, s) tuned for `--backend`, ot by default).
 */
function models(flags: Flags): void {
  const mnist = loadModel('mnist', { backend: backendOf(flags) });
  const rows = [
    {
      id: 'mnist',
      inputShape: mnist.input.shape,
      parameters: parameterCount(mnistCnn().nodes),
      weights: mnist.weights,
      ell: mnist.model.program.ell,
      scale: mnist.model.program.scale,
    },
    ...Object.values(ZOO).map((e) => ({
      id: e.id,
      inputShape: e.inputShape,
      parameters: parameterCount(e.build(syntheticWeights(1)).nodes),
      weights: e.weights,
      ell: e.ell,
      scale: e.defaultScale,
    })),
  ];
  if (flags.json) {
    printJson({ models: rows });
    return;
  }
  const table = [
    ['id', 'input shape', 'parameters', 'weights', 'ℓ', 'scale'],
    ...rows.map((r) => [
      r.id,
      r.inputShape.join('x'),
      r.parameters.toLocaleString('en-US'),
      r.weights,
      String(r.ell),
      r.scale === undefined ? 'auto' : String(r.scale),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  for (const r of table)
    console.log(
      r
        .map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    );
  note('an .onnx file path is a model too (weights from the file; scale calibrated on load).');
}

/** The subcommands: each takes the parsed flags. Adding one is one line here. */
const COMMANDS: Record<string, (flags: Flags) => Promise<void> | void> = {
  run: async (flags) => {
    await run(flags);
    if (!flags.json && !flags.model)
      note(
        '\nNext: secinfer run --model minionn | resnet32 | squeezenet | resnet50 | densenet121 [--backend he] [--link lan|wan]',
      );
  },
  server,
  client: clientCommand,
  models,
  tune: (flags) => {
    if (!flags.model) throw new CliError('USAGE', 'tune: --model is required (e.g. --model mnist)');
    tuneCommand(flags.model, backendOf(flags), flags.validation, flags.json === true);
  },
};

async function main(argv: string[]): Promise<void> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // Under --json the help text would only bloat the error object.
    const help = argv.includes('--json') ? '' : `\n\n${HELP}`;
    throw new CliError('USAGE', `${(e as Error).message}${help}`);
  }
  const { values: flags, positionals } = parsed;
  if (flags.version) {
    if (flags.json) printJson({ version: version() });
    else console.log(version());
    return;
  }
  const command = positionals[0] ?? 'run';
  if (flags.help || command === 'help') {
    console.log(HELP);
    return;
  }
  const handler = COMMANDS[command];
  if (!handler) throw new CliError('USAGE', `unknown command '${command}'\n\n${HELP}`);
  await handler(flags);
}

const argv = process.argv.slice(2);
main(argv).catch((e: unknown) => {
  const { code, message, exitCode } = describeError(e);
  // Under --json the error is the result: one JSON object on stdout (found in argv, since the
  // flags may be what failed to parse).
  if (argv.includes('--json')) printJson({ error: { code, message } });
  else process.stderr.write(`secinfer: ${message}\n`);
  process.exit(exitCode);
});
