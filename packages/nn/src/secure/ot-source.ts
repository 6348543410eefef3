// Where a session's OTs come from: IKNP/KK13 extension, or Ferret silent OT. Silent OT sends a
// small fraction of the bytes per OT but sets up a Ferret instance each way (about a second
// and a few MB); below a measured size of network that setup does not pay and IKNP stays.
// Both parties hold the same public program, so `auto` resolves alike on both sides (and the
// handshake checks the result).

import { convOutputSize } from '@secinfer/mpc-primitives';
import type { FixedProgram } from '../fixed/program.js';

/** The OT extension a session runs on. */
export type OtSource = 'iknp' | 'silent';

/** What a caller asks for: a source, or `auto` (by the program's size; not yet the default). */
export type OtChoice = OtSource | 'auto';

/**
 * Outputs of the linear layers (each one truncated, and most go through a ReLU or a pool)
 * above which `auto` picks silent OT. Provisional, from bytes alone: silent setup adds about
 * 2.3 MB, and a ReLU plus a truncation at ℓ = 32 save about 940 B per element (522.5 + 520
 * with IKNP against 53 + 50 silent), so bytes break even near 2,500 outputs; the threshold
 * sits 20× above that until the time crossover (Ferret's ~1.2 s setup) is measured.
 */
export const SILENT_OT_CROSSOVER = 50_000;

/** Σ output elements of the program's conv, gemm and affine steps: its non-linear work. */
export function linearOutputs(program: FixedProgram): number {
  let total = 0;
  for (const step of program.steps) {
    if (step.kind === 'conv') {
      const [oh, ow] = convOutputSize(step.geometry);
      total += step.geometry.batch * step.geometry.outChannels * oh * ow;
    } else if (step.kind === 'gemm') total += step.m * step.n;
    else if (step.kind === 'affine') total += step.batch * step.channels * step.inner;
  }
  return total;
}

/** The source a session uses for `choice` on `program`. */
export function chooseOtSource(choice: OtChoice, program: FixedProgram): OtSource {
  if (choice !== 'auto') return choice;
  return linearOutputs(program) >= SILENT_OT_CROSSOVER ? 'silent' : 'iknp';
}
