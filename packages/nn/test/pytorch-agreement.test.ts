// The float executor against PyTorch's own output on the same exported model and input
// (scripts/export-torchvision.py). The small tiny-fire fixture is committed and always runs;
// the full torchvision networks are dev exports (gitignored) and are skipped, with the reason,
// when absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnx, runFloat, validateGraph } from '../src/index.js';
import { maxDiff, readFloat32 } from './helpers.js';

const PKG = join(__dirname, '..');

/** Max |ours - torch| relative to the largest |torch| output: float32 noise is ~1e-6. */
const RELATIVE_TOLERANCE = 1e-4;

function agreement(dir: string, name: string) {
  const base = join(PKG, dir, name);
  const graph = importOnnx(readFileSync(`${base}.onnx`));
  const meta = JSON.parse(readFileSync(`${base}.json`, 'utf8')) as { output: number[] };
  const input = readFloat32(`${base}.input.bin`);
  const expected = readFloat32(`${base}.output.bin`);
  const out = runFloat(validateGraph(graph), { [graph.inputs[0]!.name]: input })[
    graph.outputs[0]!
  ]!;
  expect(out.shape).toEqual(meta.output);
  const { abs, ref } = maxDiff(out.data, expected);
  expect(abs / ref).toBeLessThan(RELATIVE_TOLERANCE);
}

describe('float executor matches PyTorch', () => {
  it('tiny-fire fixture (conv, bn, relu, pools, concat, add, gap, flatten, gemm)', () => {
    agreement('fixtures', 'tiny-fire');
  });

  for (const name of ['squeezenet1_1', 'resnet50', 'densenet121']) {
    const present = existsSync(join(PKG, 'exports', `${name}.onnx`));
    const reason = present ? '' : ' (skipped: run `pnpm -F @secinfer/nn export-models` first)';
    it.skipIf(!present)(`torchvision ${name}${reason}`, () => agreement('exports', name), 120_000);
  }
});
