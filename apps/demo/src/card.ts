// The client's side of a session after the connection is made, for every client (the command
// and the web page): read the server's model card, make the input it describes, send the
// chosen backend when the server offers several, run the secure inference, and read the
// logits. The card is public: id, title, where the weights come from, how to preprocess the
// input, class names, ℓ and s, the backends offered. Nothing here touches files or Node.
import type { FixedProgram } from '@secinfer/nn';
import {
  type Backend,
  type OtChoice,
  requestInference,
  type SessionReport,
  type StepEvent,
  type TruncationMode,
} from '@secinfer/nn/secure';
import type { Channel } from '@secinfer/transport/core';
import { CliError } from './errors.js';
import type { InputSpec } from './preprocess.js';

/** The public description of the served model. */
export interface ModelCard {
  readonly id: string;
  readonly title: string;
  /** Where the weights come from; synthetic ones are said so in every report. */
  readonly weights: 'trained' | 'synthetic' | 'from file';
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

/** Reads the server's first frame, its model card. */
export async function receiveCard(channel: Channel): Promise<ModelCard> {
  try {
    return JSON.parse(new TextDecoder().decode(await channel.recv(undefined, 'model card')));
  } catch (e) {
    if (e instanceof SyntaxError)
      throw new CliError(
        'NOT_A_SERVER',
        'the server did not send a model card: is it a secinfer server?',
        3,
      );
    throw e;
  }
}

/** What a client may choose; what it leaves out is the card's. */
export interface CardSessionOptions {
  readonly backend?: Backend;
  readonly threads?: number;
  readonly ot?: OtChoice;
  readonly truncation?: TruncationMode;
  /** The program the client expects, made from the card (whose backend it may depend on). */
  readonly expected?: (card: ModelCard) => FixedProgram;
  readonly onStep?: (event: StepEvent) => void;
}

/** What the client learns. */
export interface CardAnswer {
  /** The card, with the ℓ and s the session ran (the card's are its default backend's). */
  readonly card: ModelCard;
  /** Logits as real numbers (integers / 2^s). */
  readonly logits: Float64Array;
  readonly report: SessionReport;
  /** The backend the session ran. */
  readonly backend: Backend;
  /** The truncation mode the session ran (absent: the server's default, faithful). */
  readonly truncation?: TruncationMode;
}

/**
 * Runs the session after `card` was read: `input(card.input)` makes the model's input (a
 * failure aborts the channel with its code only, since the message may describe the input),
 * then the backend choice, then the secure inference.
 */
export async function requestOnCard(
  channel: Channel,
  card: ModelCard,
  input: (spec: InputSpec) => Float32Array,
  options: CardSessionOptions = {},
): Promise<CardAnswer> {
  let data: Float32Array;
  try {
    data = input(card.input);
  } catch (e) {
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
    (program) => ({ [program.inputs[0]!.name]: data }),
    {
      backend,
      threads: options.threads,
      ot,
      truncation,
      expected: options.expected?.(card),
      onStep: options.onStep,
    },
  );
  const first = result.program.outputs[0]!;
  const integers = result.outputs[first.name]!;
  const logits = integers.map((v) => v / 2 ** result.program.scale);
  const ran = { ...card, ell: result.program.ell, scale: result.program.scale };
  return { card: ran, logits, report: result.report, backend, truncation };
}
