// A hang-up at each step of an MNIST/ot session, from either side. An honest session traced
// first says how many messages each party sends and what the session is doing at each (the
// handshake and OT setup, each layer, the truncations, the opening of the logits); the cuts
// are spread evenly over the whole session and include the first message of every step. The
// client hanging up is tried against a real `secinfer server` process, which must log a typed
// failure within seconds and then serve an honest client; the server hanging up is tried with
// the server's side in this process, and the client must reject with a typed error within
// seconds. No side may hang, and no rejection may go unhandled (vitest fails the run on one).
import { runFixedPoint, type StepEvent } from '@secinfer/nn';
import { type Channel, connect, listen, TransportError } from '@secinfer/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from '../soak/server-process.js';
import { loadInput } from '../src/inputs.js';
import { type LoadedModel, loadModel } from '../src/models.js';
import { requestOne, serveOne } from '../src/parties.js';
import { Progress } from '../src/report.js';
import { type CutTransport, cutAfter } from './cut-transport.js';

/** How long the surviving side may take to give up after the cut. */
const BOUND_MS = 5_000;
/** Evenly spaced cuts over the session (the first message of each step comes on top). */
const EVEN_CUTS = 8;

let model: LoadedModel;
let cleartext: Float64Array;

/** Labels the transport's sends with the step the session is in, from the executor's events. */
function labelling(cut: CutTransport): (e: StepEvent) => void {
  const steps = model.model.program.steps;
  return (e) => {
    const next = steps[e.index + 1];
    cut.doing = next ? `step ${e.index + 2}/${e.total} ${next.kind}` : 'opening the logits';
  };
}

function clientProgress(cut?: CutTransport): Progress {
  const progress = new Progress();
  if (cut) {
    const label = labelling(cut);
    const step = progress.step;
    progress.step = (e) => {
      step(e);
      label(e);
    };
  }
  return progress;
}

/**
 * Where to cut a party that sends these messages: after 0 .. n−1 of them (after the last one
 * its part is done), evenly, after its hello and the next message (OT setup), and after the
 * first message of each step (`doing`: what the
 * session was doing when the last message before the cut left).
 */
function cutPoints(sends: readonly string[]): { k: number; doing: string }[] {
  const n = sends.length;
  const ks = new Set([
    ...Array.from({ length: EVEN_CUTS }, (_, i) => Math.round((i * (n - 1)) / (EVEN_CUTS - 1))),
    1,
    2,
  ]);
  sends.forEach((doing, i) => {
    // The (i+1)-th message opens a step: cut right after it.
    if (i > 0 && sends[i - 1] !== doing && i + 1 < n) ks.add(i + 1);
  });
  return [...ks]
    .sort((a, b) => a - b)
    .map((k) => ({ k, doing: k === 0 ? 'before the hello' : sends[k - 1]! }));
}

/**
 * `promise`, or a rejection if it has not settled `BOUND_MS` after `cut` cut the connection
 * (the session before the cut may take long on a loaded machine; after it, nothing may).
 */
function boundedAfterCut<T>(promise: Promise<T>, cut: CutTransport, what: string): Promise<T> {
  let timer: ReturnType<typeof setInterval>;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setInterval(() => {
        if (cut.cutAt !== null && performance.now() - cut.cutAt > BOUND_MS)
          reject(new Error(`${what}: still running ${BOUND_MS} ms after the cut`));
      }, 50);
    }),
  ]).finally(() => clearInterval(timer));
}

const client = (channel: Channel, cut?: CutTransport) =>
  requestOne(channel, 'digit:3', {
    backend: 'ot',
    expected: () => model.model.program,
    progress: clientProgress(cut),
  });

beforeAll(() => {
  model = loadModel('mnist', { backend: 'ot' });
  const { program } = model.model;
  const pixels = loadInput('digit:3', model.input).data;
  cleartext = runFixedPoint(model.model, { [program.inputs[0]!.name]: pixels })[
    program.outputs[0]!.name
  ]!.map((v) => v / 2 ** program.scale);
});

describe('a hang-up at each protocol step', () => {
  // The honest session, traced from both sides over TCP in this process.
  let clientSends: string[] = [];
  let serverSends: string[] = [];
  beforeAll(async () => {
    const listener = await listen({ port: 0 });
    const [accepted, dialled] = await Promise.all([
      listener.accept(),
      connect({ port: listener.port }),
    ]);
    const server = cutAfter(accepted);
    const clientSide = cutAfter(dialled);
    const [, answer] = await Promise.all([
      serveOne(server.channel, new Map([['ot', model]]), { onStep: labelling(server.cut) }),
      client(clientSide.channel, clientSide.cut),
    ]);
    expect(answer.logits).toEqual(cleartext);
    // The counters and the labels agree on how many messages each party sent.
    expect(clientSide.cut.sends).toHaveLength(clientSide.channel.stats.messagesSent);
    expect(server.cut.sends).toHaveLength(server.channel.stats.messagesSent);
    clientSends = clientSide.cut.sends;
    serverSends = server.cut.sends;
    await Promise.all([clientSide.channel.close(), server.channel.close(), listener.close()]);
  });

  it('covers the handshake, every layer, truncation and the opening of the logits', () => {
    for (const sends of [clientSends, serverSends]) {
      const cut = new Set(cutPoints(sends).map((c) => c.doing));
      for (const kind of [
        'before the hello',
        'handshake and setup',
        'conv',
        'maxpool',
        'relu',
        'trunc',
        'gemm',
      ])
        expect(
          [...cut].some((d) => d.includes(kind)),
          kind,
        ).toBe(true);
    }
  });

  describe('the client hangs up: a real server', () => {
    let server: ServerProcess;
    beforeAll(async () => {
      server = await startServer(['--backend', 'ot', '--concurrency', '1']);
    });
    afterAll(() => server?.stop());

    it('logs a typed failure within seconds at every cut, then serves an honest client', async () => {
      const seen: string[] = [];
      for (const [i, { k, doing }] of cutPoints(clientSends).entries()) {
        const { channel, cut } = cutAfter(await connect({ port: server.port }), k);
        const error = await boundedAfterCut(
          client(channel, cut).catch((e) => e),
          cut,
          `cut after ${k}`,
        );
        expect(error, `the cutting client, cut after ${k} (${doing})`).toBeInstanceOf(Error);
        // The server ends the session (its --stats line follows the failure line) in time.
        expect(await server.samplesReach(i + 1, BOUND_MS), `cut after ${k} (${doing})`).toBe(true);
        expect(performance.now() - cut.cutAt!).toBeLessThan(BOUND_MS);
        const line = server.log.find((l) => l.startsWith(`session ${i + 1} from `))!;
        const code = /failed after [\d.]+ s, [\d.]+ MiB: \[([A-Z_]+)\]/.exec(line)?.[1];
        expect(code, `${line} — cut after ${k} (${doing})`).toBe('PEER_CLOSED');
        seen.push(doing);
      }
      expect(seen.length).toBeGreaterThanOrEqual(EVEN_CUTS);
      const channel = await connect({ port: server.port });
      expect((await client(channel)).logits).toEqual(cleartext);
      await channel.close();
      expect(server.exitCode).toBeNull();
    }, 300_000);
  });

  describe('the server hangs up', () => {
    it('rejects the client with a typed error within seconds at every cut, and serves on', async () => {
      const listener = await listen({ port: 0 });
      const offer = new Map([['ot', model] as const]);
      for (const { k, doing } of cutPoints(serverSends)) {
        const [accepted, dialled] = await Promise.all([
          listener.accept(),
          connect({ port: listener.port }),
        ]);
        const { channel, cut } = cutAfter(accepted, k);
        const [served, answer] = await boundedAfterCut(
          Promise.all([
            serveOne(channel, offer, { onStep: labelling(cut) }).catch((e) => e),
            client(dialled).catch((e) => e),
          ]),
          cut,
          `cut after ${k}`,
        );
        expect(served, `the cutting server, cut after ${k} (${doing})`).toBeInstanceOf(Error);
        expect(answer, `cut after ${k} (${doing})`).toBeInstanceOf(TransportError);
        expect((answer as TransportError).code, `cut after ${k} (${doing})`).toBe('PEER_CLOSED');
        expect(performance.now() - cut.cutAt!).toBeLessThan(BOUND_MS);
        await dialled.close();
      }
      const [accepted, dialled] = await Promise.all([
        listener.accept(),
        connect({ port: listener.port }),
      ]);
      const [, answer] = await Promise.all([serveOne(accepted, offer), client(dialled)]);
      expect(answer.logits).toEqual(cleartext);
      await Promise.all([accepted.close(), dialled.close(), listener.close()]);
    }, 300_000);
  });
});
