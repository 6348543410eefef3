// The two roles of the command over a Channel. Before the secure session the server sends a
// model card (id, title, where the weights come from, how to preprocess the input, the class
// names): public facts the client needs to read its image and print an answer. Then the
// session of @secinfer/nn runs; only the outputs reach the client.
import {
  type Backend,
  type FixedProgram,
  requestInference,
  type SessionReport,
  serveInference,
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
}

/** Options both parties must agree on. */
export interface PartyOptions {
  readonly backend: Backend;
  readonly threads?: number;
}

/** Serves one session on `channel`. */
export async function serveOne(
  channel: Channel,
  model: LoadedModel,
  options: PartyOptions,
): Promise<SessionReport> {
  const card: ModelCard = {
    id: model.id,
    title: model.title,
    weights: model.weights,
    input: model.input,
    classes: model.classes,
    ell: model.model.program.ell,
    scale: model.model.program.scale,
  };
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
}

/** Runs the client's side: reads the card, loads `inputSpec` for it, learns the logits. */
export async function requestOne(
  channel: Channel,
  inputSpec: string | undefined,
  options: PartyOptions & { readonly progress?: Progress; readonly expected?: FixedProgram },
): Promise<Answer> {
  let card: ModelCard;
  try {
    card = JSON.parse(new TextDecoder().decode(await channel.recv(undefined, 'model card')));
  } catch (e) {
    if (e instanceof SyntaxError)
      throw new CliError(
        'the server did not send a model card: is it a secinfer server?',
        3,
        'NOT_A_SERVER',
      );
    throw e;
  }
  let input: LoadedInput;
  try {
    input = loadInput(inputSpec, card.input);
  } catch (e) {
    channel.abort(`client input rejected: ${(e as Error).message}`);
    throw e;
  }
  const result = await requestInference(
    channel,
    (program) => ({ [program.inputs[0]!.name]: input.data }),
    {
      backend: options.backend,
      threads: options.threads,
      expected: options.expected,
      onStep: options.progress?.step,
    },
  );
  const first = result.program.outputs[0]!;
  const integers = result.outputs[first.name]!;
  const logits = integers.map((v) => v / 2 ** result.program.scale);
  return { card, input, logits, report: result.report };
}
