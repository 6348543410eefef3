/** Renders bench rows as a fixed-width text table, with derived rates. */
import type { BenchRow } from './suite.js';

const COLUMNS: [string, (row: BenchRow) => string][] = [
  ['suite', (r) => r.suite],
  ['op', (r) => r.op],
  ['n', (r) => String(r.n)],
  ['ell', (r) => (r.ell === null ? '-' : String(r.ell))],
  ['thr', (r) => String(r.threads)],
  ['link', (r) => r.link],
  ['backend', (r) => String(r.backend ?? '-')],
  ['ot', (r) => String(r.ot ?? '-')],
  ['seconds', (r) => r.seconds.toFixed(3)],
  ['MiB', (r) => (r.bytes / 2 ** 20).toFixed(2)],
  ['B/elem', (r) => (r.bytes / r.n).toFixed(2)],
  ['elem/s', (r) => formatRate(r.n / r.seconds)],
  ['rounds', (r) => String(r.rounds)],
  ['peak RSS MiB', (r) => String(r.peakRssMiB ?? '-')],
];

function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(2)} k`;
  return rate.toFixed(2);
}

export function formatTable(rows: BenchRow[]): string {
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  const widths = COLUMNS.map(([title], i) =>
    Math.max(title.length, ...cells.map((c) => c[i]!.length)),
  );
  const line = (values: string[]) =>
    `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [
    line(COLUMNS.map(([title]) => title)),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.map(line),
  ].join('\n');
}
