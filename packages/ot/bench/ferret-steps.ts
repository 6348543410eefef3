/**
 * One ferret-b13 round's local steps, each kernel against its plain reference on the same
 * inputs, alternated in one process (a shared machine's load drifts between processes):
 *   node --conditions=@secinfer/source --import tsx packages/ot/bench/ferret-steps.ts [runs]
 * Prints one line per step and run with the load average, as `uptime` reports it.
 */
import { execFileSync } from 'node:child_process';
import { FERRET_B13, randomBytes } from '../src/index.js';
import {
  ggmReceive,
  ggmReceiveReference,
  ggmSend,
  ggmSendReference,
  lpnEncode,
  lpnEncodeReference,
} from '../src/kernels.js';

const { n, t, h, k, d } = FERRET_B13;
const runs = Number(process.argv[2] ?? 3);
const code = { k, d, seed: randomBytes(16) };
const x = randomBytes(16 * k);
const xBits = randomBytes(k).map((b) => b & 1);
const y = new Uint8Array(16 * n);
const yBits = new Uint8Array(n);
const roots = randomBytes(16 * t);
const alphas = new Uint32Array(randomBytes(4 * t).buffer).map((a) => a & ((1 << h) - 1));
const offPath = randomBytes(16 * h * t);

function time(step: string, run: () => void): void {
  const start = performance.now();
  run();
  const ms = performance.now() - start;
  const load = execFileSync('uptime')
    .toString()
    .trim()
    .replace(/.*load average: /, '');
  console.log(`${step.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms   load ${load}`);
}

console.log(`ferret-b13 round: n = ${n}, k = ${k}, d = ${d}, ${t} trees of 2^${h}`);
for (let run = 0; run < runs; run++) {
  time('LPN blocks, plain', () => lpnEncodeReference(code, x, y));
  time('LPN blocks, WASM', () => lpnEncode(code, x, y));
  time('LPN blocks + bits, plain', () => lpnEncodeReference(code, x, y, xBits, yBits));
  time('LPN blocks + bits, WASM', () => lpnEncode(code, x, y, xBits, yBits));
  time('GGM sender, plain', () => ggmSendReference(roots, h, y));
  time('GGM sender, WASM', () => ggmSend(roots, h, y));
  time('GGM receiver, plain', () => ggmReceiveReference(alphas, h, offPath, y));
  time('GGM receiver, WASM', () => ggmReceive(alphas, h, offPath, y));
}
