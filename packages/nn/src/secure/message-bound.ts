// The longest message a session can carry once its setup is done, from the public program
// alone (setup's own messages, fixed by the parameters, stay under SETUP_MESSAGE_BOUND): both
// parties compute it, and each refuses a longer message from its peer as soon as the frame's
// length is read (Channel.limitMessages), so a stranger cannot make a server buffer more than
// the program itself would. Every message after setup is one of:
//
//   OT linear layers: per batch of the vector-COT call, the receiver's IKNP columns and the
//     sender's reply (cost-model.ts `vectorCotMessages`, the formulas the byte tests hold);
//   HE linear layers: one ciphertext per message, input or output, never more than a fresh
//     one at the three data primes (2 · 3 · N · 8 bytes and SEAL's header);
//   silent OT: Ferret's refills, at most one round's tree sums (t trees of 32h + 16 bytes);
//   everything else — input shares, the non-linear protocols' openings, OT columns, replies
//     and corrections, the outputs — grows with the elements one protocol call handles, at
//     most BYTES_PER_ELEMENT each (below).
//
// A protocol whose messages outgrow this fails loudly on its sender's side (FRAME_TOO_LARGE,
// nothing sent), never silently; the network tests run every session under the bound.
import { convOutputSize } from '@secinfer/mpc-primitives';
import { FERRET_B13, ferretTreeBytes } from '@secinfer/ot';
import type { FixedProgram, FixedStep } from '../fixed/program.js';
import { type BackendPlan, isLinearStep, otLayerCall, vectorCotMessages } from './cost-model.js';

/**
 * Bytes per element of one protocol call that any single message of the non-linear protocols
 * stays under, at every ℓ ≤ 64 on both OT sources. Measured: 64 on IKNP/KK13 (the
 * millionaires' 1-out-of-16 columns, 2 OTs of 32 B per element in each batch, at every ℓ),
 * ℓ on silent OT (the 1-out-of-16 replies: ⌈ℓ/4⌉ leaves of 16 two-bit messages); twice the
 * larger leaves room for a protocol that handles its elements twice in one call.
 */
export const BYTES_PER_ELEMENT = 128;

/**
 * The longest message of setup, whatever the program: base OTs and OT extension bootstraps
 * (≤ 0.75 MiB for Ferret's), the ring's public key (0.25 MiB) and the field's Galois keys
 * (9.8 MiB, the largest). Until setup ends the session allows this much, then the program's
 * bound.
 */
export const SETUP_MESSAGE_BOUND = 16 * 2 ** 20;

/** N = 8192 and three 60-bit data primes, ring and field alike (he-linear params.ts). */
const HE_CIPHERTEXT_BYTES = 2 * 3 * 8192 * 8 + 256;

/** Which backend runs the linear steps: one for all, or the plan of backend `auto`. */
export type LinearBackendOf = (step: FixedStep) => 'ot' | 'he';

/** The linear-step backends of a session on `backend` (`plan` for `auto`). */
export function linearBackends(backend: string, plan?: BackendPlan): LinearBackendOf {
  if (backend !== 'auto') return () => (backend === 'ot' ? 'ot' : 'he');
  const byStep = new Map(plan?.layers.map((l) => [l.step, l.backend]));
  return (step) => byStep.get(step.name) ?? 'ot';
}

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Elements of every tensor the program computes, by name. */
function tensorSizes(program: FixedProgram): Map<string, number> {
  const sizes = new Map(program.inputs.map((i) => [i.name, sizeOf(i.shape)]));
  for (const step of program.steps) {
    const input = sizes.get(step.inputs[0] ?? '') ?? 0;
    sizes.set(step.output, outputSize(step, input));
  }
  return sizes;
}

function outputSize(step: FixedStep, input: number): number {
  switch (step.kind) {
    case 'conv': {
      const [oh, ow] = convOutputSize(step.geometry);
      return step.geometry.batch * step.geometry.outChannels * oh * ow;
    }
    case 'gemm':
      return step.m * step.n;
    case 'affine':
      return step.batch * step.channels * step.inner;
    case 'maxpool':
    case 'avgpool':
      return step.geometry.n * step.geometry.c * step.geometry.oh * step.geometry.ow;
    case 'globalavgpool':
      return step.planes;
    case 'add':
    case 'concat':
      return sizeOf(step.outShape);
    case 'constant':
      return step.size;
    default:
      return input;
  }
}

/**
 * Elements one protocol call of `step` handles: its input and output, and for max pooling the
 * comparisons of one pass of the separable window (rows then columns, kernel cells each).
 */
function callElements(step: FixedStep, input: number, output: number): number {
  if (step.kind !== 'maxpool') return Math.max(input, output);
  const { n, c, h, oh, ow, kernel } = step.geometry;
  return Math.max(input, n * c * h * ow * kernel[1], n * c * oh * ow * kernel[0]);
}

/** The longest message, in bytes, either party of a session of `program` sends after setup. */
export function largestMessageBound(
  program: FixedProgram,
  backendOf: LinearBackendOf,
  ot: 'iknp' | 'silent',
): number {
  const sizes = tensorSizes(program);
  let largest = 0;
  for (const input of program.inputs) largest = Math.max(largest, sizeOf(input.shape));
  let bound = 0;
  for (const step of program.steps) {
    const input = sizes.get(step.inputs[0] ?? '') ?? 0;
    largest = Math.max(largest, callElements(step, input, sizes.get(step.output)!));
    if (!isLinearStep(step)) continue;
    if (backendOf(step) === 'he') {
      bound = Math.max(bound, HE_CIPHERTEXT_BYTES);
      continue;
    }
    const { elements, bits, k } = otLayerCall(step, program.ell, program.weightBits);
    for (const m of vectorCotMessages(elements, bits, k, program.ell))
      bound = Math.max(bound, m.columns, m.reply);
  }
  if (ot === 'silent') bound = Math.max(bound, FERRET_B13.t * ferretTreeBytes(FERRET_B13));
  return Math.max(bound, largest * BYTES_PER_ELEMENT);
}
