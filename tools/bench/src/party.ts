/**
 * One party of one benchmark op, run as its own process by the CLI. The server listens on
 * an ephemeral port on 127.0.0.1 and tells the parent which; the client connects. Both
 * agree on the op and its parameters by handshake, run it, and report to the parent by IPC.
 */
import { type Channel, connect, handshake, listen, simulateLink } from '@secinfer/transport';
import type { BenchArgs, OpReport, PartyRole, Suite } from './suite.js';

export interface PartyConfig {
  suiteFile: string;
  op: string;
  role: PartyRole;
  port: number;
  args: BenchArgs;
}

export interface PartyResult {
  seconds: number;
  bytesSent: number;
  rounds: number;
  report: OpReport;
  peakRssMiB: number;
}

export type PartyMessage =
  | { type: 'listening'; port: number }
  | { type: 'result'; result: PartyResult }
  | { type: 'error'; message: string };

function tell(message: PartyMessage): void {
  process.send?.(message);
}

async function open(config: PartyConfig): Promise<Channel> {
  if (config.role === 'client') return connect({ port: config.port });
  const listener = await listen({ port: 0 });
  tell({ type: 'listening', port: listener.port });
  const channel = await listener.accept();
  await listener.close();
  return channel;
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.SECINFER_BENCH_PARTY ?? 'null') as PartyConfig | null;
  if (!config) throw new Error('party.ts is started by the bench CLI, not by hand');
  const suite = (await import(config.suiteFile)).default as Suite;
  const op = suite.ops.find((candidate) => candidate.name === config.op);
  if (!op) throw new Error(`suite ${suite.name} has no op ${config.op}`);

  let channel = await open(config);
  await handshake(channel, {
    version: 'bench-1',
    params: { suite: suite.name, op: op.name, ...config.args } as never,
  });
  if (config.args.link !== 'none') channel = simulateLink(channel, config.args.link);

  type Measured = { seconds: number; bytesSent: number; rounds: number };
  let measured = null as Measured | null;
  const report = await op.run({
    role: config.role,
    channel,
    args: config.args,
    async measure(fn) {
      if (measured) throw new Error(`op ${op.name} called measure twice`);
      // Barrier: both parties start the clock within one one-way latency of each other.
      await channel.send(new Uint8Array(1));
      await channel.recv(1);
      const start = performance.now();
      const result = await channel.phase('timed', fn);
      const seconds = (performance.now() - start) / 1000;
      const counters = channel.phases().get('timed')!;
      measured = { seconds, bytesSent: counters.bytesSent, rounds: counters.rounds };
      return result;
    },
  });
  const timed = measured as Measured | null;
  if (!timed) throw new Error(`op ${op.name} never called measure`);
  await channel.close();
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  tell({ type: 'result', result: { ...timed, report, peakRssMiB } });
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    tell({ type: 'error', message: error.stack ?? String(error) });
    process.exit(1);
  },
);
