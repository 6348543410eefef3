// The two roles of the command over a Channel. Before the secure session the server sends a
// model card (id, title, where the weights come from, how to preprocess the input, the class
// names): public facts the client needs to read its image and print an answer. Then the
// session of @secinfer/nn runs; only the outputs reach the client.
import {
  type Backend,
  type FixedProgram,
  type OtChoice,
  requestInference,
  type SessionReport,
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
  /** The server's OT source (`auto` resolves alike on both sides); a client without `--ot` uses it. */
  readonly ot?: OtChoice;
  /** The server's truncation mode; a client without `--truncation` uses it. */
  readonly truncation?: TruncationMode;
}

/** The card of `model` (its id and title hold no path: a file's basename at most). */
export function modelCard(
  model: LoadedModel,
  options: Partial<Pick<PartyOptions, 'backend' | 'ot' | 'truncation'>> = {},
): ModelCard {
  return {
    id: model.id,
    title: model.title,
    weights: model.weights,
    input: model.input,
    classes: model.classes,
    ell: model.model.program.ell,
    scale: model.model.program.scale,
    weightBits: model.model.program.weightBits,
    backend: options.backend,
    ot: options.ot,
    truncation: options.truncation,
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

/** Serves one session on `channel`. */
export async function serveOne(
  channel: Channel,
  model: LoadedModel,
  options: PartyOptions,
): Promise<SessionReport> {
  const card = modelCard(model, options);
  await channel.send(new TextEncoder().encode(JSON.stringify(card)));
  return serveInference(channel, model.model, options);
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
  return { card, input, logits, report: result.report, backend, truncation };
}
