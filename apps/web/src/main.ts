// The web page: the client of one secure inference against a running `secinfer server` (its
// --ws-port). The page reads the server's model card, makes the model's input from an image
// the browser decodes (or an embedded MNIST digit) exactly as the command does, and runs the
// client's side of the session in the browser: the image never leaves the page, only its
// secret shares and the protocol's messages do; the page learns the logits, the server nothing.
//
// For a test to drive: ?server=ws://host:port[&backend=ot|he|he-field|auto][&sample=mnist
// [&digit=0..9]] connects at once, and with `sample` also runs; the outcome is in #status
// (data-state), #progress, #cost, #answer, #top, #error and window.secinferResult.
import {
  argmax,
  type CardAnswer,
  CliError,
  InputError,
  type InputSpec,
  type ModelCard,
  preprocessImage,
  type RgbaImage,
  requestOnCard,
  topK,
} from '@secinfer/demo/client';
import type { Backend, StepEvent } from '@secinfer/nn/secure';
import { mnistDigit } from '@secinfer/nn/zoo';
import { type DecodedImage, decodeImageFile } from './decode.js';
import { connectToServer } from './session.js';

/** What the page reports when a session is done (read by browser tests). */
export interface SecinferResult {
  readonly model: string;
  readonly backend: Backend;
  readonly class: number;
  readonly label: string;
  readonly logits: number[];
  readonly seconds: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  readonly rounds: number;
}

declare global {
  interface Window {
    secinferResult?: SecinferResult;
    secinferError?: { readonly code: string; readonly message: string };
  }
}

const BACKENDS: readonly Backend[] = ['ot', 'he', 'he-field', 'auto'];
const MIB = 2 ** 20;

/** The image the next run uses: a decoded file, or an embedded MNIST digit. */
type Chosen =
  | { readonly kind: 'file'; readonly name: string; readonly pixels: RgbaImage }
  | { readonly kind: 'sample'; readonly digit: number };

function byId<T extends HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

const ui = {
  server: byId<HTMLInputElement>('server'),
  connect: byId<HTMLButtonElement>('connect'),
  status: byId('status'),
  card: byId('card'),
  backend: byId<HTMLSelectElement>('backend'),
  file: byId<HTMLInputElement>('file'),
  drop: byId('drop'),
  sample: byId<HTMLButtonElement>('sample'),
  preview: byId<HTMLCanvasElement>('preview'),
  chosen: byId('chosen'),
  run: byId<HTMLButtonElement>('run'),
  progress: byId('progress'),
  progressBar: byId<HTMLProgressElement>('progress-bar'),
  cost: byId('cost'),
  answer: byId('answer'),
  top: byId('top'),
  detail: byId('answer-detail'),
  error: byId('error'),
};

let chosen: Chosen | null = null;
let busy = false;

type State = 'idle' | 'connecting' | 'ready' | 'running' | 'done' | 'error';

function setStatus(state: State, text: string): void {
  ui.status.dataset.state = state;
  ui.status.textContent = text;
}

function showError(e: unknown): void {
  const code = (e as { code?: string }).code ?? (e as Error).name ?? 'INTERNAL';
  const message = e instanceof Error ? e.message : String(e);
  ui.error.dataset.code = code;
  ui.error.textContent = `[${code}] ${message}`;
  ui.error.hidden = false;
  window.secinferError = { code, message };
  setStatus('error', 'failed');
}

function clearOutcome(): void {
  ui.error.hidden = true;
  ui.error.textContent = '';
  delete ui.error.dataset.code;
  window.secinferError = undefined;
  window.secinferResult = undefined;
  for (const element of [ui.answer, ui.top, ui.cost, ui.detail]) element.textContent = '';
  delete ui.answer.dataset.class;
  ui.progress.textContent = '';
  ui.progressBar.value = 0;
}

/** A definition-list row of the card. */
function row(list: HTMLElement, term: string, value: string, id: string): void {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.id = id;
  dd.textContent = value;
  list.append(dt, dd);
}

function showCard(card: ModelCard, requested: string | null): void {
  const offered = card.backends ?? [card.backend ?? 'ot'];
  const list = document.createElement('dl');
  row(list, 'model', card.title, 'card-title');
  row(list, 'id', card.id, 'card-id');
  row(list, 'weights', card.weights, 'card-weights');
  row(list, 'ℓ (ring bits)', String(card.ell), 'card-ell');
  row(list, 'scale s', String(card.scale), 'card-scale');
  row(list, 'backends offered', offered.join(', '), 'card-backends');
  row(list, 'input', `${card.input.kind}, ${card.input.shape.join('×')}`, 'card-input');
  ui.card.replaceChildren(list);
  if (card.weights === 'synthetic') {
    const note = document.createElement('p');
    note.textContent = 'This model has synthetic (seeded random) weights: its class means nothing.';
    ui.card.append(note);
  }
  ui.card.dataset.model = card.id;
  const keep = requested ?? ui.backend.value;
  ui.backend.replaceChildren(
    ...offered.map((b) => Object.assign(document.createElement('option'), { value: b, text: b })),
  );
  ui.backend.value = offered.includes(keep as Backend) ? keep : offered[0]!;
  ui.backend.disabled = offered.length < 2;
  ui.sample.hidden = card.input.kind !== 'mnist';
}

function showPreview(pixels: DecodedImage): void {
  ui.preview.width = pixels.width;
  ui.preview.height = pixels.height;
  ui.preview
    .getContext('2d')
    ?.putImageData(new ImageData(pixels.data, pixels.width, pixels.height), 0, 0);
  ui.preview.hidden = false;
}

function chooseSample(digit: number): void {
  chosen = { kind: 'sample', digit };
  const grey = mnistDigit(digit);
  const data = new Uint8ClampedArray(28 * 28 * 4);
  for (let i = 0; i < grey.length; i++)
    data.set([grey[i]! * 255, grey[i]! * 255, grey[i]! * 255, 255], i * 4);
  showPreview({ width: 28, height: 28, data });
  ui.chosen.textContent = `embedded held-out MNIST digit (label ${digit})`;
}

async function chooseFile(file: File): Promise<void> {
  try {
    const pixels = await decodeImageFile(file);
    chosen = { kind: 'file', name: file.name, pixels };
    showPreview(pixels);
    ui.chosen.textContent = `${file.name} (${pixels.width}×${pixels.height})`;
  } catch (e) {
    showError(e);
  }
}

/** The model's input from the chosen image, as the card's spec says. */
function inputFor(spec: InputSpec): Float32Array {
  if (!chosen) throw new InputError('INPUT_KIND', 'pick an image first');
  if (chosen.kind === 'file') return preprocessImage(chosen.pixels, spec);
  if (spec.kind !== 'mnist')
    throw new InputError(
      'INPUT_KIND',
      'the embedded sample digits are for the MNIST model: pick an image file',
    );
  return mnistDigit(chosen.digit);
}

function progressOf(started: number): (e: StepEvent) => void {
  let bytes = 0;
  return (e) => {
    bytes += e.bytesSent + e.bytesReceived;
    ui.progressBar.max = e.total;
    ui.progressBar.value = e.index + 1;
    ui.progress.dataset.step = String(e.index + 1);
    ui.progress.dataset.total = String(e.total);
    ui.progress.dataset.bytes = String(bytes);
    const seconds = (performance.now() - started) / 1000;
    ui.progress.textContent = `step ${e.index + 1} of ${e.total}: ${e.kind} ${e.node} — ${(bytes / MIB).toFixed(2)} MiB so far, ${seconds.toFixed(1)} s`;
  };
}

function showAnswer(answer: CardAnswer): void {
  const { card, logits, report, backend } = answer;
  const cls = argmax(logits);
  const name = (i: number) => card.classes?.[i] ?? String(i);
  ui.answer.textContent = name(cls);
  ui.answer.dataset.class = String(cls);
  if (logits.length > 10) {
    const best = topK(logits, 5).map((i) => ({ class: i, label: name(i), logit: logits[i]! }));
    ui.top.textContent = JSON.stringify(best);
    ui.detail.textContent = best
      .map((b) => `${String(b.class).padStart(4)}  ${b.label}  ${b.logit.toFixed(4)}`)
      .join('\n');
  } else {
    ui.top.textContent = JSON.stringify(Array.from(logits));
    ui.detail.textContent = `logits: ${Array.from(logits, (v) => v.toFixed(3)).join(' ')}`;
  }
  const cost = ui.cost.dataset;
  cost.seconds = String(report.seconds);
  cost.bytesSent = String(report.bytesSent);
  cost.bytesReceived = String(report.bytesReceived);
  cost.rounds = String(report.rounds);
  ui.cost.textContent = `${report.seconds.toFixed(2)} s, sent ${(report.bytesSent / MIB).toFixed(2)} MiB, received ${(report.bytesReceived / MIB).toFixed(2)} MiB, ${report.rounds} rounds (${report.ot === 'silent' ? 'silent ' : ''}OT setup ${report.setupSeconds.toFixed(2)} s, ${(report.setupBytes / MIB).toFixed(2)} MiB); backend ${backend}, ℓ = ${card.ell}, s = ${card.scale}`;
  window.secinferResult = {
    model: card.id,
    backend,
    class: cls,
    label: name(cls),
    logits: Array.from(logits),
    seconds: report.seconds,
    bytesSent: report.bytesSent,
    bytesReceived: report.bytesReceived,
    rounds: report.rounds,
  };
  setStatus('done', `done: ${name(cls)}`);
}

/**
 * Reads the card and closes: what the user looks at while choosing an image. The session runs
 * on a fresh connection, since a server gives a client only its handshake timeout (10 s by
 * default) from the card to the backend choice.
 */
async function peek(requested: string | null): Promise<void> {
  if (busy) return;
  busy = true;
  clearOutcome();
  setStatus('connecting', `connecting to ${ui.server.value}…`);
  try {
    const { channel, card } = await connectToServer(ui.server.value);
    await channel.close();
    showCard(card, requested);
    setStatus('ready', `connected: ${card.title}; pick an image and run`);
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
  }
}

/** One secure inference on the chosen image, with `backend` (else the picker's choice). */
async function run(backend: string | null): Promise<void> {
  if (busy) return;
  busy = true;
  ui.run.disabled = true;
  clearOutcome();
  setStatus('connecting', `connecting to ${ui.server.value}…`);
  try {
    const { channel, card } = await connectToServer(ui.server.value);
    showCard(card, backend);
    setStatus('running', `running ${card.title} securely…`);
    const answer = await requestOnCard(channel, card, inputFor, {
      backend: (backend ?? ui.backend.value) as Backend,
      onStep: progressOf(performance.now()),
    });
    await channel.close();
    showAnswer(answer);
  } catch (e) {
    showError(e);
  } finally {
    busy = false;
    ui.run.disabled = false;
  }
}

/** ws:// or wss:// to the host that served the page (the server's --ws-port, with --web). */
function defaultServer(): string {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') return '';
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
}

/** The query's backend and sample, checked (a bad one is shown as a usage error). */
function fromQuery(params: URLSearchParams): { backend: string | null; digit: number | null } {
  const backend = params.get('backend');
  if (backend !== null && !BACKENDS.includes(backend as Backend))
    throw new CliError('USAGE', `backend must be one of ${BACKENDS.join(', ')}, got '${backend}'`);
  const sample = params.get('sample');
  if (sample === null) return { backend, digit: null };
  if (sample !== 'mnist')
    throw new CliError('USAGE', `sample must be mnist (the embedded digits), got '${sample}'`);
  const digit = params.get('digit') ?? '7';
  if (!/^\d$/.test(digit)) throw new CliError('USAGE', `digit must be 0..9, got '${digit}'`);
  return { backend, digit: Number(digit) };
}

ui.connect.addEventListener('click', () => void peek(null));
ui.run.addEventListener('click', () => void run(null));
ui.sample.addEventListener('click', () => chooseSample(7));
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (file) void chooseFile(file);
});
ui.drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  ui.drop.classList.add('over');
});
ui.drop.addEventListener('dragleave', () => ui.drop.classList.remove('over'));
ui.drop.addEventListener('drop', (e) => {
  e.preventDefault();
  ui.drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void chooseFile(file);
});

const params = new URLSearchParams(location.search);
ui.server.value = params.get('server') ?? defaultServer();
setStatus('idle', 'not connected');
try {
  const { backend, digit } = fromQuery(params);
  if (digit !== null) chooseSample(digit);
  if (params.has('server')) void (digit === null ? peek(backend) : run(backend));
} catch (e) {
  showError(e);
}
