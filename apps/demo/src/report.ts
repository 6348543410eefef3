// What the user sees: a live progress line on stderr while layers run (only on a terminal), then a
// per-layer table (the steps of one graph node summed) and the totals; under backend `auto`,
// with the backend the plan chose for each linear layer and the seconds it predicted.
import type { BackendPlan, StepEvent } from '@secinfer/nn';

const MIB = 2 ** 20;

/** One row of the per-layer table. */
export interface LayerRow {
  layer: string;
  kind: string;
  seconds: number;
  bytes: number;
  rounds: number;
  /** Seconds of the layer's linear step (conv, gemm, affine) alone, if it has one. */
  linearSeconds?: number;
}

const isLinear = (kind: string) => kind === 'conv' || kind === 'gemm' || kind === 'affine';

/** Collects step events into layer rows and draws the live line. */
export class Progress {
  readonly rows: LayerRow[] = [];
  private readonly byLayer = new Map<string, LayerRow>();
  private readonly start = performance.now();
  private bytes = 0;
  private readonly live: boolean;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {
    this.live = out.isTTY === true;
  }

  /** Records a finished step (as the executor reports it) and redraws the line. */
  step = (e: StepEvent): void => {
    const bytes = e.bytesSent + e.bytesReceived;
    this.bytes += bytes;
    // A layer's steps (a conv and its truncation after the ReLU/maxpool chain) share a row.
    const row = this.byLayer.get(e.node);
    if (row) {
      row.seconds += e.seconds;
      row.bytes += bytes;
      row.rounds += e.rounds;
    } else {
      const fresh = { layer: e.node, kind: e.kind, seconds: e.seconds, bytes, rounds: e.rounds };
      this.byLayer.set(e.node, fresh);
      this.rows.push(fresh);
    }
    if (isLinear(e.kind)) this.byLayer.get(e.node)!.linearSeconds = e.seconds;
    if (!this.live) return;
    const elapsed = (performance.now() - this.start) / 1000;
    const width = 24;
    const done = Math.round(((e.index + 1) / e.total) * width);
    const line = `[${'#'.repeat(done)}${'.'.repeat(width - done)}] step ${e.index + 1}/${e.total} ${e.kind.padEnd(13)} ${e.node.slice(0, 28).padEnd(28)} ${elapsed.toFixed(1)} s ${(this.bytes / MIB).toFixed(1)} MiB`;
    this.out.write(`\r${line.slice(0, (this.out.columns ?? 120) - 1)}\x1b[K`);
  };

  /** A note on its own line (setup phases), kept clear of the live line. */
  note(text: string): void {
    if (this.live) this.out.write(`\r\x1b[K${text}\n`);
  }

  /** Clears the live line. */
  finish(): void {
    if (this.live) this.out.write('\r\x1b[K');
  }
}

/** The per-layer table and a totals row, as text; with `plan`, each layer's backend and prediction. */
export function layerTable(
  rows: readonly LayerRow[],
  total: { seconds: number; bytes: number; rounds: number },
  plan?: BackendPlan,
): string {
  const planned = new Map(plan?.layers.map((l) => [l.node, l]));
  // The plan's prediction is of the linear step; `measured` is that step's own time.
  const choice = (r: LayerRow) => {
    const l = planned.get(r.layer);
    return l
      ? [l.backend, l.predictedSeconds.toFixed(3), r.linearSeconds?.toFixed(3) ?? '']
      : ['', '', ''];
  };
  const header = [
    'layer',
    'kind',
    ...(plan ? ['backend', 'predicted', 'measured'] : []),
    'seconds',
    'MiB',
    'rounds',
  ];
  const body = rows.map((r) => [
    r.layer,
    r.kind,
    ...(plan ? choice(r) : []),
    r.seconds.toFixed(3),
    (r.bytes / MIB).toFixed(2),
    String(r.rounds),
  ]);
  body.push([
    'total',
    '',
    ...(plan ? ['', plan.predictedSeconds.toFixed(3), ''] : []),
    total.seconds.toFixed(3),
    (total.bytes / MIB).toFixed(2),
    String(total.rounds),
  ]);
  const textColumns = plan ? 3 : 2;
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r.map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.slice(0, -1).map(fmt),
    widths.map((w) => '-'.repeat(w)).join('  '),
    fmt(body[body.length - 1]!),
  ].join('\n');
}
