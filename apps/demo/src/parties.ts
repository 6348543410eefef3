// The two roles of the command over a Channel. Before the secure session the server sends a
// model card (id, title, where the weights come from, how to preprocess the input, the class
// names, the backends it offers): public facts the client needs to read its image and print an
// answer. A server offering several backends then reads the client's choice (one short frame,
// under the pre-handshake limits). Then the session of @secinfer/nn runs; only the outputs
// reach the client.
import {
  type Backend,
  type FixedProgram,
  type OtChoice,
  requestInference,
  type SessionReport,
  type StepEvent,
  serveInference,
  type TruncationMode,
} from '@secinfer/nn';
import type { Channel } from '@secinfer/transport';
import { CliError } from './errors.js';
import { type InputSpec, type LoadedInput, loadInput } from './inputs.js';
import type { LoadedModel } from './models.js';
import type { Progress } from './report.js';

/** The public description of the served model. */
export interface ModelCard {
  readonly id: string;
  readonly title: string;
  readonly weights: LoadedModel['weights'];
  readonly input: InputSpec;
  readonly classes?: readonly string[];
  readonly ell: number;
  readonly scale: number;
  /**
   * The public signed width b of every weight (the OT backend's OTs per weight): ℓ, or a
   * bound the model declares — never the narrowest width that fits, which would say
   * ⌈log2 max |w|⌉.
   */
  readonly weightBits?: number;
  /** The backend the server runs; a client without `--backend` uses it. */
  readonly backend?: Backend;
  /**
   * Present when the server offers more than one backend (its default first): the client then
   * sends the name of the one it runs. A single-backend server sends none, as before it existed.
   */
  readonly backends?: readonly Backend[];
  /** The server's OT source (`auto` resolves alike on both sides); a client without `--ot` uses it. */
  readonly ot?: OtChoice;
  /** The server's truncation mode; a client without `--truncation` uses it. */
  readonly truncation?: TruncationMode;
}

/** The card of `model` (its id and title hold no path: a file's basename at most). */
export function modelCard(
  model: LoadedModel,
  options: {
    readonly backend?: Backend;
    readonly backends?: readonly Backend[];
    readonly ot?: OtChoice;
    readonly truncation?: TruncationMode;
  } = {},
): ModelCard {
  const { backend, backends, ot, truncation } = options;
  return {
    id: model.id,
    title: model.title,
    weights: model.weights,
    input: model.input,
    classes: model.classes,
    ell: model.model.program.ell,
    scale: model.model.program.scale,
    weightBits: model.model.program.weightBits,
    backend,
    ...(backends && backends.length > 1 ? { backends } : {}),
    ot,
    truncation,
  };
}

/** Options both parties must agree on. */
export interface PartyOptions {
  readonly backend: Backend;
  readonly threads?: number;
  /** Default `iknp`. */
  readonly ot?: OtChoice;
  /** Default `faithful` (secure equals the cleartext fixed point); `approximate` is opt-in. */
  readonly truncation?: TruncationMode;
}

/** What a server serves: the model compiled for each backend it offers, its default first. */
export type Offer = ReadonlyMap<Backend, LoadedModel>;

/** One served session: the backend the client chose and the cost. */
export interface Served {
  readonly backend: Backend;
  readonly report: SessionReport;
}

/** Serves one session on `channel`, on the backend the client picks from `offer`. */
export async function serveOne(
  channel: Channel,
  offer: Offer,
  options: Omit<PartyOptions, 'backend'> & { readonly onStep?: (event: StepEvent) => void } = {},
): Promise<Served> {
  const backends = [...offer.keys()];
  const card = modelCard(offer.get(backends[0]!)!, {
    backend: backends[0],
    backends,
    ot: options.ot,
    truncation: options.truncation,
  });
  await channel.send(new TextEncoder().encode(JSON.stringify(card)));
  let backend = backends[0]!;
  if (backends.length > 1) {
    const choice = new TextDecoder().decode(await channel.recv(undefined, 'backend choice'));
    if (!offer.has(choice as Backend)) {
      // The client's bytes are not echoed into the log: they are a stranger's.
      channel.abort('BACKEND_NOT_OFFERED');
      throw new CliError(
        'BACKEND_NOT_OFFERED',
        `the client chose a backend this server does not offer (${backends.join(', ')})`,
        3,
      );
    }
    backend = choice as Backend;
  }
  const report = await serveInference(channel, offer.get(backend)!.model, {
    backend,
    threads: options.threads,
    ot: options.ot,
    truncation: options.truncation,
    onStep: options.onStep,
  });
  return { backend, report };
}

/** What the client prints. */
export interface Answer {
  readonly card: ModelCard;
  readonly input: LoadedInput;
  /** Logits as real numbers (integers / 2^s). */
  readonly logits: Float64Array;
  readonly report: SessionReport;
  /** The backend the session ran. */
  readonly backend: Backend;
  /** The truncation mode the session ran (absent: faithful, or a cleartext run). */
  readonly truncation?: TruncationMode;
}

/** Runs the client's side: reads the card, loads `inputSpec` for it, learns the logits. */
export async function requestOne(
  channel: Channel,
  inputSpec: string | undefined,
  options: Partial<PartyOptions> & {
    readonly progress?: Progress;
    /** The program the client expects, made from the card (whose backend it may depend on). */
    readonly expected?: (card: ModelCard) => FixedProgram;
  },
): Promise<Answer> {
  let card: ModelCard;
  try {
    card = JSON.parse(new TextDecoder().decode(await channel.recv(undefined, 'model card')));
  } catch (e) {
    if (e instanceof SyntaxError)
      throw new CliError(
        'NOT_A_SERVER',
        'the server did not send a model card: is it a secinfer server?',
        3,
      );
    throw e;
  }
  let input: LoadedInput;
  try {
    input = loadInput(inputSpec, card.input);
  } catch (e) {
    // Only the code: the message may describe the input (its range, its file's path).
    channel.abort((e as { code?: string }).code ?? 'INPUT_REJECTED');
    throw e;
  }
  const backend = options.backend ?? card.backend ?? 'ot';
  const ot = options.ot ?? card.ot;
  const truncation = options.truncation ?? card.truncation;
  if (card.backends) {
    if (!card.backends.includes(backend)) {
      channel.abort('BACKEND_NOT_OFFERED');
      throw new CliError(
        'BACKEND_NOT_OFFERED',
        `the server offers backends ${card.backends.join(', ')}, not ${backend}`,
        3,
      );
    }
    await channel.send(new TextEncoder().encode(backend));
  }
  const result = await requestInference(
    channel,
    (program) => ({ [program.inputs[0]!.name]: input.data }),
    {
      backend,
      threads: options.threads,
      ot,
      truncation,
      expected: options.expected?.(card),
      onStep: options.progress?.step,
    },
  );
  const first = result.program.outputs[0]!;
  const integers = result.outputs[first.name]!;
  const logits = integers.map((v) => v / 2 ** result.program.scale);
  // The card's ℓ and s are its default backend's; the program says what this session ran.
  const ran = { ...card, ell: result.program.ell, scale: result.program.scale };
  return { card: ran, input, logits, report: result.report, backend, truncation };
}
