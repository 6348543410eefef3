// The two roles of the command over a Channel. Before the secure session the server sends a
// model card (id, title, where the weights come from, how to preprocess the input, the class
// names, the backends it offers): public facts the client needs to read its image and print an
// answer; the client's side after the connection is card.ts, which the web page shares. A server offering several backends then reads the client's choice (one short frame,
// under the pre-handshake limits). Then the session of @secinfer/nn runs; only the outputs
// reach the client.
import {
  type Backend,
  type FixedProgram,
  type OtChoice,
  type SessionReport,
  type StepEvent,
  serveInference,
  type TruncationMode,
} from '@secinfer/nn';
import type { Channel } from '@secinfer/transport';
import { type CardAnswer, type ModelCard, receiveCard, requestOnCard } from './card.js';
import { CliError } from './errors.js';
import { type LoadedInput, loadInput } from './inputs.js';
import type { LoadedModel } from './models.js';
import type { Progress } from './report.js';

export type { ModelCard } from './card.js';

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
export interface Answer extends CardAnswer {
  readonly input: LoadedInput;
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
  const card = await receiveCard(channel);
  let input: LoadedInput | undefined;
  const answer = await requestOnCard(
    channel,
    card,
    (spec) => {
      input = loadInput(inputSpec, spec);
      return input.data;
    },
    { ...options, onStep: options.progress?.step },
  );
  return { ...answer, input: input! };
}
