// One secure inference between a server (the compiled model) and a client (the input):
//
//   1. the server sends the public program (shapes, ℓ, s, layer kinds; never weights);
//   2. the client checks it against what it expects, if anything, and both run the transport
//      handshake on {backend, program digest, ℓ, s, truncation}, so a mismatch fails on both sides;
//      for backend `auto` the server then measures the link (unless told it), chooses OT or HE
//      per linear layer (cost-model.ts) and sends that plan, and a second handshake checks
//      that both hold it — the client runs the server's plan, never one of its own;
//   3. OT in both directions is set up — IKNP, or Ferret silent OT (`ot`, in the handshake too) —
//      and, for backend `he`, the BFV keys;
//   4. the client's share of its input is the quantised input itself and the server's share is
//      zero — the server sees nothing of the input, and it saves a message;
//   5. the program runs on shares; the outputs are opened to the client only.

import { CLIENT, type Party, partyContext, SERVER } from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import {
  type Channel,
  handshake,
  LINK_PRESETS,
  type LinkPreset,
  probeLinkFollow,
  probeLinkLead,
} from '@secinfer/transport/core';
import { SessionError } from '../errors.js';
import { quantiseInput } from '../fixed/executor.js';
import {
  type FixedModel,
  type FixedProgram,
  programDigest,
  programFromJson,
  programToJson,
} from '../fixed/program.js';
import type { FloatArray } from '../tensor.js';
import {
  type BackendPlan,
  isLinearStep,
  type LinearBackend,
  type LinkCost,
  planDigest,
} from './cost-model.js';
import type { PartyContext, ShareDomain, Shares } from './domain.js';
import { type LinearLayers, runSecureSteps, type StepEvent } from './executor.js';
import { largestMessageBound, linearBackends, SETUP_MESSAGE_BOUND } from './message-bound.js';
import { chooseOtSource, type OtChoice, type OtSource } from './ot-source.js';

/**
 * Where the linear layers run: OT over Z_2^ℓ, BFV over Z_2^ℓ (he), BFV over Z_p (he-field), or
 * OT or ring BFV per layer as the server's cost model chooses for the link (auto).
 */
export type Backend = 'ot' | 'he' | 'he-field' | 'auto';

/**
 * The protocol version both parties must speak: a new one whenever what they compute changes
 * incompatibly, so mismatched builds fail the handshake instead of computing garbage (2: the
 * OT extensions' tweaked hashes; 3: the OTs on silent COT tweaked too; 4: Ferret's GGM level
 * pads tweaked, so both parties' COTs change).
 */
export const SESSION_VERSION = 'secinfer-nn/4';

/** A backend as the session needs it: its domain and its linear layers after setup. */
export interface BackendRuntime<S extends Shares> {
  readonly domain: ShareDomain<S>;
  readonly linear: LinearLayers<S>;
  /** Frees what setup allocated (HE keys in WASM memory). */
  dispose(): void;
}

/**
 * Builds a backend for a party once OT is set up (runs the backend's own setup, if any); for
 * `auto`, with the plan both parties agreed on.
 */
export type BackendFactory = (
  backend: Backend,
  ctx: PartyContext,
  program: FixedProgram,
  plan?: BackendPlan,
) => Promise<BackendRuntime<Shares>>;

/** The server's cost model: the plan of `program` on a link (backend `auto`). */
export type BackendPlanner = (program: FixedProgram, link: LinkCost) => Promise<BackendPlan>;

/**
 * How the truncations after each product run: `faithful` (the default) keeps secure equal to
 * the cleartext fixed point bit for bit; `approximate` (Cheetah's one-bit-error truncation,
 * opt-in) may leave each truncated value one below, so outputs drift from the reference.
 */
export type TruncationMode = 'faithful' | 'approximate';

/** Options of either side of a session. */
export interface SessionOptions {
  readonly backend: Backend;
  /** Default `faithful`; both parties must agree (the handshake checks). */
  readonly truncation?: TruncationMode;
  /** Where the OTs come from: `iknp` (default), `silent` (Ferret), or `auto` (by the program's size). */
  readonly ot?: OtChoice;
  /** Called after every step with its time and cost. */
  readonly onStep?: (event: StepEvent) => void;
  /**
   * Backend `auto`, server: the link to plan for (a preset or figures); without it the
   * server measures the link at session start (under 0.3 s).
   */
  readonly link?: LinkPreset | LinkCost;
  /**
   * Backend `auto`: the backend per linear step name instead of the cost model's (unnamed
   * steps run on OT). On the server it replaces the plan; on the client it is the plan the
   * client insists on, so a different server plan fails the handshake.
   */
  readonly plan?: Readonly<Record<string, LinearBackend>>;
}

/** Cost of a session from this party's side. */
export interface SessionReport {
  readonly seconds: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly rounds: number;
  /** Seconds and bytes (both directions) of OT and key setup. */
  readonly setupSeconds: number;
  readonly setupBytes: number;
  /** The OT source the session ran on (absent in reports of runs without OT, e.g. cleartext). */
  readonly ot?: OtSource;
  /** Backend `auto`: the server's plan (backend and predicted seconds per linear layer). */
  readonly plan?: BackendPlan;
  /**
   * The longest message either party may send after setup, from the public program
   * (message-bound.ts); a longer one from the peer is refused from its frame header.
   */
  readonly messageBound?: number;
  /** The longest message this party sent or received after setup, against `messageBound`. */
  readonly largestMessage?: number;
}

/**
 * The client's input: real numbers by graph input name, or a function that makes them from
 * the program the server announced (to size or preprocess an image for a model it did not know).
 */
export type ClientInput =
  | Readonly<Record<string, FloatArray>>
  | ((program: FixedProgram) => Readonly<Record<string, FloatArray>>);

/** Options of the client's side. */
export interface ClientOptions extends SessionOptions {
  /** The program the client expects (same model, ℓ and s); a difference fails before any OT. */
  readonly expected?: FixedProgram;
}

/** What the client learns. */
export interface InferenceResult {
  /** The public program the server ran. */
  readonly program: FixedProgram;
  /** Each graph output as signed integers at scale s (argmax outputs: indices). */
  readonly outputs: Record<string, Float64Array>;
  readonly report: SessionReport;
}

/**
 * What the peer is told when this side fails: the error's code only. Its message stays with
 * the caller, who logs it — it may name a value of this party's input or weights.
 */
function abortReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'INTERNAL';
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function parseProgram(bytes: Uint8Array): FixedProgram {
  let program: FixedProgram;
  try {
    program = programFromJson(decoder.decode(bytes));
  } catch {
    throw new SessionError('program', 'the server did not send a model description');
  }
  if (
    typeof program?.ell !== 'number' ||
    typeof program.scale !== 'number' ||
    !Number.isInteger(program.weightBits) ||
    program.weightBits < 2 ||
    program.weightBits > program.ell ||
    !Array.isArray(program.steps) ||
    !Array.isArray(program.inputs) ||
    !Array.isArray(program.outputs)
  ) {
    throw new SessionError('program', 'the server sent a malformed model description');
  }
  return program;
}

/** Checks the server's program against the client's expectation, naming what differs. */
function checkExpected(program: FixedProgram, expected: FixedProgram): void {
  if (programDigest(program) === programDigest(expected)) return;
  // The layers without the fixed-point parameters (ℓ, s and the truncations they imply).
  const layers = (p: FixedProgram) =>
    JSON.stringify(p, (key, value) =>
      ['ell', 'scale', 'bits', 'weightBits'].includes(key) ? undefined : value,
    );
  const sameLayers = layers(program) === layers(expected);
  if (!sameLayers) {
    throw new SessionError(
      'model',
      'server and client hold different models (architecture or shapes differ)',
    );
  }
  if (program.ell !== expected.ell)
    throw new SessionError('ell', `server uses ℓ = ${program.ell}, client expects ${expected.ell}`);
  if (program.scale !== expected.scale)
    throw new SessionError(
      'scale',
      `server uses scale ${program.scale}, client expects ${expected.scale}`,
    );
  throw new SessionError(
    'weightBits',
    `server's weights are ${program.weightBits}-bit, client expects ${expected.weightBits}`,
  );
}

/** The plan of an explicit choice per step name (the rest on OT), predicting nothing. */
export function planOfChoice(
  program: FixedProgram,
  choice: Readonly<Record<string, LinearBackend>>,
  link: LinkCost = { rttMs: 0, bytesPerSecond: Number.POSITIVE_INFINITY },
): BackendPlan {
  const layers = program.steps.filter(isLinearStep).map((step) => ({
    step: step.name,
    node: step.node,
    backend: choice[step.name] === 'he' ? ('he' as const) : ('ot' as const),
    predictedSeconds: 0,
  }));
  return { layers, predictedSeconds: 0, link };
}

const linkCostOf = (link: LinkPreset | LinkCost): LinkCost =>
  typeof link === 'string'
    ? {
        rttMs: LINK_PRESETS[link].echoLatencyMs,
        bytesPerSecond: LINK_PRESETS[link].bandwidthBytesPerSecond,
      }
    : link;

/** The client's check of the plan the server sent: one valid backend per linear step, in order. */
function parsePlan(bytes: Uint8Array, program: FixedProgram): BackendPlan {
  let plan: BackendPlan | undefined;
  try {
    plan = JSON.parse(decoder.decode(bytes));
  } catch {}
  const steps = program.steps.filter(isLinearStep);
  const valid =
    Array.isArray(plan?.layers) &&
    plan.layers.length === steps.length &&
    plan.layers.every(
      (l, i) =>
        l?.step === steps[i]!.name &&
        (l.backend === 'ot' || l.backend === 'he') &&
        typeof l.predictedSeconds === 'number',
    );
  if (!valid) throw new SessionError('plan', 'the server sent a malformed backend plan');
  return plan!;
}

/**
 * Backend `auto`, after the handshake: the server tells whether it measures the link (one
 * byte), leads the probe if so, plans, and sends the plan; a second handshake on the plan's
 * digest makes a client that insists on another plan fail on both sides.
 */
async function agreePlan(
  party: Party,
  channel: Channel,
  program: FixedProgram,
  options: SessionOptions,
  planner: BackendPlanner | undefined,
): Promise<BackendPlan> {
  let plan: BackendPlan;
  if (party === SERVER) {
    await channel.send(Uint8Array.of(options.link ? 0 : 1));
    const link = options.link ? linkCostOf(options.link) : await probeLinkLead(channel);
    if (options.plan) plan = planOfChoice(program, options.plan, link);
    else if (planner) plan = await planner(program, link);
    else throw new SessionError('backend', 'backend auto needs a cost model on the server');
    await channel.send(encoder.encode(JSON.stringify(plan)));
  } else {
    const probe = await channel.recv(1, 'link probe flag');
    if (probe[0] === 1) await probeLinkFollow(channel);
    plan = parsePlan(await channel.recv(undefined, 'backend plan'), program);
  }
  const held = party === CLIENT && options.plan ? planOfChoice(program, options.plan) : plan;
  await handshake(channel, { version: SESSION_VERSION, params: { plan: planDigest(held) } });
  return plan;
}

async function runParty(
  party: Party,
  channel: Channel,
  program: FixedProgram,
  model: FixedModel | undefined,
  inputs: Readonly<Record<string, FloatArray>> | undefined,
  options: SessionOptions,
  makeBackend: BackendFactory,
  planner?: BackendPlanner,
): Promise<{ outputs: Record<string, Float64Array>; report: SessionReport }> {
  const start = performance.now();
  const ot = chooseOtSource(options.ot ?? 'iknp', program);
  await handshake(channel, {
    version: SESSION_VERSION,
    params: {
      backend: options.backend,
      model: programDigest(program),
      ell: program.ell,
      scale: program.scale,
      truncation: options.truncation ?? 'faithful',
      ot,
    },
  });
  const plan =
    options.backend === 'auto'
      ? await channel.phase('plan', () => agreePlan(party, channel, program, options, planner))
      : undefined;
  const messageBound = largestMessageBound(program, linearBackends(options.backend, plan), ot);
  channel.limitMessages(Math.max(messageBound, SETUP_MESSAGE_BOUND));
  const setupStart = performance.now();
  const setupBefore = channel.stats;
  const { runtime, ctx } = await channel.phase('setup', async () => {
    const ctx = partyContext(await OtPack.setup(party, channel, { ot }));
    return { ctx, runtime: await makeBackend(options.backend, ctx, program, plan) };
  });
  const setupAfter = channel.stats;
  const setupSeconds = (performance.now() - setupStart) / 1000;
  channel.limitMessages(messageBound);
  try {
    const d = runtime.domain;
    const shares = new Map<string, Shares>();
    for (const input of program.inputs) {
      const n = input.shape.reduce((a, b) => a * b, 1);
      shares.set(
        input.name,
        party === CLIENT
          ? d.fromSigned(quantiseInput(program, input.name, inputs![input.name]!))
          : d.zeros(n),
      );
    }
    const outShares = await runSecureSteps(
      d,
      ctx,
      runtime.linear,
      program,
      shares,
      model?.weights,
      options.onStep,
    );
    const outputs: Record<string, Float64Array> = {};
    await channel.phase('output', async () => {
      for (const o of program.outputs) {
        const opened = await d.reveal(ctx, outShares.get(o.name)!, CLIENT);
        if (opened) outputs[o.name] = opened;
      }
    });
    const stats = channel.stats;
    return {
      outputs,
      report: {
        seconds: (performance.now() - start) / 1000,
        bytesSent: stats.bytesSent,
        bytesReceived: stats.bytesReceived,
        rounds: stats.rounds,
        setupSeconds,
        ot,
        messageBound,
        largestMessage: Math.max(channel.largestMessages.sent, channel.largestMessages.received),
        setupBytes:
          setupAfter.bytesSent -
          setupBefore.bytesSent +
          setupAfter.bytesReceived -
          setupBefore.bytesReceived,
        ...(plan ? { plan } : {}),
      },
    };
  } finally {
    runtime.dispose();
  }
}

/** The server's side: sends the public program, then runs the model on the client's input. */
export async function serveInferenceWith(
  channel: Channel,
  model: FixedModel,
  options: SessionOptions,
  makeBackend: BackendFactory,
  planner?: BackendPlanner,
): Promise<SessionReport> {
  try {
    await channel.send(encoder.encode(programToJson(model.program)));
    const program = model.program;
    return (
      await runParty(SERVER, channel, program, model, undefined, options, makeBackend, planner)
    ).report;
  } catch (e) {
    channel.abort(abortReason(e));
    throw e;
  }
}

/**
 * The client's side: receives the public program, checks it against `expected` if given, and
 * learns the outputs.
 */
export async function requestInferenceWith(
  channel: Channel,
  input: ClientInput,
  options: ClientOptions,
  makeBackend: BackendFactory,
): Promise<InferenceResult> {
  try {
    const program = parseProgram(await channel.recv(undefined, 'model description'));
    if (options.expected) checkExpected(program, options.expected);
    const inputs = typeof input === 'function' ? input(program) : input;
    for (const input of program.inputs) {
      const data = inputs[input.name];
      if (!data) throw new SessionError('input', `the model needs an input named '${input.name}'`);
      // Quantise now, so a bad input fails before any cryptography.
      quantiseInput(program, input.name, data);
    }
    const { outputs, report } = await runParty(
      CLIENT,
      channel,
      program,
      undefined,
      inputs,
      options,
      makeBackend,
    );
    return { program, outputs, report };
  } catch (e) {
    channel.abort(abortReason(e));
    throw e;
  }
}
