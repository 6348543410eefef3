// The cost model behind backend `auto`: for every linear step (conv, gemm, affine) the seconds
// each backend is predicted to take on a link, as
//
//   compute + bytes / bandwidth + sequential round trips × RTT,
//
// bytes from the two layer protocols' own formulas, compute from coefficients calibrated on
// this machine (cost-coefficients.ts). Both backends share the ring Z_2^ℓ, so the non-linear
// layers cost the same either way and only the linear ones are chosen; HE's key setup is paid
// once if any layer picks HE, so the per-layer choice is compared, setup included, against
// running every layer on OT. Pure: the HE layer counts come from he-linear's geometry through
// `HeCounter` (the caller loads the optional package).
//
//   ot (CrypTFlow2's linear layers on vector correlated OT, ot-linear matmul.ts): W·X as one
//      vector-COT call in the orientation with fewer bytes — 16 B of IKNP columns per OT plus
//      k·Σ_{i<bits}(ℓ − i) bits of correlations per element of the choosing matrix, per batch
//      of vectorCotBatchSize OTs; one round trip;
//   he (Cheetah's HomConv/HomFC/HomBN, he-linear engine.ts): seeded input ciphertexts client
//      → server, output ciphertexts at the planned level, trimmed, back; one round trip.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { convOutputSize } from '@secinfer/mpc-primitives';
import { vectorCotBatchSize } from '@secinfer/ot';
import { clientChooses } from '@secinfer/ot-linear';
import type { AffineStep, ConvStep, FixedProgram, GemmStep } from '../fixed/program.js';

/** The backends `auto` chooses between per linear layer (both over Z_2^ℓ). */
export type LinearBackend = 'ot' | 'he';

/** A linear step of a program. */
export type LinearStep = ConvStep | GemmStep | AffineStep;

export const isLinearStep = (step: FixedProgram['steps'][number]): step is LinearStep =>
  step.kind === 'conv' || step.kind === 'gemm' || step.kind === 'affine';

/** The link the model prices bytes and round trips on. */
export interface LinkCost {
  readonly rttMs: number;
  readonly bytesPerSecond: number;
}

/** Calibrated seconds per unit of work (see cost-coefficients.ts for how they were made). */
export interface CostCoefficients {
  readonly ot: {
    readonly perLayer: number;
    /** Per OT (IKNP extension, hashing, the choice bits). */
    readonly perOt: number;
    /** Per bit of correlations (pads, the sender's reply, accumulation). */
    readonly perMessageBit: number;
    /** Per multiply-accumulate of the server's local W·X0. */
    readonly perMac: number;
  };
  readonly he: {
    readonly perLayer: number;
    readonly perProduct: number;
    readonly perKernel: number;
    readonly perInput: number;
    readonly perOutput: number;
    /** Key setup, paid once per session if any layer runs on HE. */
    readonly setupSeconds: number;
    readonly setupBytes: number;
  };
}

/** What an HE layer does, from he-linear's plan geometry. */
export interface HeCounts {
  readonly inputs: number;
  readonly outputs: number;
  readonly products: number;
  readonly kernels: number;
}

/** HE's counts of a linear step (he-linear's coefficient geometry). */
export type HeCounter = (step: LinearStep) => HeCounts;

/** The predicted cost of one step on one backend. */
export interface StepPrediction {
  readonly seconds: number;
  readonly computeSeconds: number;
  readonly bytes: number;
  readonly roundTrips: number;
}

/** The dimensions of the OT product W (d1 × d2) · X (d2 × d3), or the row scaling. */
type OtShape =
  | { kind: 'matmul'; d1: number; d2: number; d3: number }
  | { kind: 'rows'; rows: number; inner: number };

function otShape(step: LinearStep): OtShape {
  if (step.kind === 'conv') {
    const g = step.geometry;
    const [oh, ow] = convOutputSize(g);
    return {
      kind: 'matmul',
      d1: g.outChannels,
      d2: g.inChannels * g.kernel[0] * g.kernel[1],
      d3: g.batch * oh * ow,
    };
  }
  if (step.kind === 'gemm') return { kind: 'matmul', d1: step.n, d2: step.k, d3: step.m };
  return { kind: 'rows', rows: step.batch * step.channels, inner: step.inner };
}

/** Σ_{t ∈ [first, end)} (ℓ − t mod bits): the widths of OTs first..end−1 (bitWidths). */
function widthSum(first: number, end: number, ell: number, bits: number): number {
  const upTo = (n: number) => {
    const cycles = Math.floor(n / bits);
    const rest = n % bits;
    const cycle = bits * ell - (bits * (bits - 1)) / 2;
    return cycles * cycle + rest * ell - (rest * (rest - 1)) / 2;
  };
  return upTo(end) - upTo(first);
}

/**
 * The messages of one vector-COT call of `elements`·`bits` OTs with k values each, per batch:
 * the receiver's IKNP columns and the sender's reply.
 */
export function* vectorCotMessages(
  elements: number,
  bits: number,
  k: number,
  ell: number,
): Generator<{ readonly columns: number; readonly reply: number }> {
  const ots = elements * bits;
  const batch = vectorCotBatchSize(k, ell);
  for (let first = 0; first < ots; first += batch) {
    const end = Math.min(ots, first + batch);
    yield {
      columns: 128 * Math.ceil((end - first) / 8),
      reply: Math.ceil((k * widthSum(first, end, ell, bits)) / 8),
    };
  }
}

/** Both-way bytes of one vector-COT call of `elements`·`bits` OTs with k values each. */
export function vectorCotBytes(elements: number, bits: number, k: number, ell: number): number {
  let bytes = 0;
  for (const m of vectorCotMessages(elements, bits, k, ell)) bytes += m.columns + m.reply;
  return bytes;
}

/** The one vector-COT call an OT layer makes: `elements`·`bits` OTs with k values each. */
export function otLayerCall(
  step: LinearStep,
  ell: number,
  weightBits: number,
): { readonly elements: number; readonly bits: number; readonly k: number } {
  const s = otShape(step);
  if (s.kind === 'rows') return { elements: s.rows, bits: weightBits, k: s.inner };
  const { d1, d2, d3 } = s;
  // The orientation ot-linear takes: the client's X1 (ℓ bits, k = d1) or the weights (b bits, k = d3).
  return clientChooses({ d1, d2, d3 }, ell, weightBits)
    ? { elements: d2 * d3, bits: ell, k: d1 }
    : { elements: d1 * d2, bits: weightBits, k: d3 };
}

/** The OT layer's work: its OTs, correlation bits, local MACs and bytes. */
export function otLayerWork(
  step: LinearStep,
  ell: number,
  weightBits: number,
): { ots: number; messageBits: number; macs: number; bytes: number } {
  const s = otShape(step);
  const { elements, bits, k } = otLayerCall(step, ell, weightBits);
  return {
    ots: elements * bits,
    messageBits: elements * k * widthSum(0, bits, ell, bits),
    macs: s.kind === 'rows' ? s.rows * s.inner : s.d1 * s.d2 * s.d3,
    bytes: vectorCotBytes(elements, bits, k, ell),
  };
}

/** N and the ring's three 60-bit data primes (ringHeParamsFor at every ℓ the ring runs). */
const N = 8192;
const DATA_PRIMES = 3;

/** A seeded input ciphertext (he-linear ring-bfv.ts): its 16-byte seed, then c0 at the data primes, 60 bits per residue. */
export const HE_INPUT_BYTES = 16 + (DATA_PRIMES * N * 60) / 8;

/**
 * An output ciphertext at one 60-bit prime with its low bits trimmed (he-linear noise.ts:
 * c0 keeps ℓ + 9 bits, c1 ℓ + 22), or at two primes untrimmed where the mod-switch rounding
 * needs them (ℓ = 41).
 */
export function heOutputBytes(ell: number): number {
  if (ell >= 41) return 2 * 2 * N * 8 + 113;
  return Math.ceil((N * Math.min(60, ell + 9)) / 8) + Math.ceil((N * Math.min(60, ell + 22)) / 8);
}

/** The HE layer's both-way bytes. */
export const heLayerBytes = (counts: HeCounts, ell: number): number =>
  counts.inputs * HE_INPUT_BYTES + counts.outputs * heOutputBytes(ell);

const transfer = (bytes: number, roundTrips: number, link: LinkCost) =>
  bytes / link.bytesPerSecond + (roundTrips * link.rttMs) / 1000;

export function predictOt(
  step: LinearStep,
  ell: number,
  weightBits: number,
  c: CostCoefficients,
  link: LinkCost,
): StepPrediction {
  const w = otLayerWork(step, ell, weightBits);
  const computeSeconds =
    c.ot.perLayer + c.ot.perOt * w.ots + c.ot.perMessageBit * w.messageBits + c.ot.perMac * w.macs;
  return {
    computeSeconds,
    bytes: w.bytes,
    roundTrips: 1,
    seconds: computeSeconds + transfer(w.bytes, 1, link),
  };
}

export function predictHe(
  counts: HeCounts,
  ell: number,
  c: CostCoefficients,
  link: LinkCost,
): StepPrediction {
  const computeSeconds =
    c.he.perLayer +
    c.he.perProduct * counts.products +
    c.he.perKernel * counts.kernels +
    c.he.perInput * counts.inputs +
    c.he.perOutput * counts.outputs;
  const bytes = heLayerBytes(counts, ell);
  // The longer of compute and transfer, not their sum: an HE layer streams — each input is
  // sent while the client encrypts the next, each output while the server makes the next —
  // as he-linear's geometry assumes (a conv's additive estimate was measured 1.02–1.05× slow
  // at `wan` there); the round trip is paid once either way.
  return {
    computeSeconds,
    bytes,
    roundTrips: 1,
    seconds: Math.max(computeSeconds, bytes / link.bytesPerSecond) + link.rttMs / 1000,
  };
}

/** One linear layer of a plan: the backend it runs on and the seconds predicted for it. */
export interface PlannedLayer {
  readonly step: string;
  readonly node: string;
  readonly backend: LinearBackend;
  readonly predictedSeconds: number;
  /** The other backend's prediction (absent where HE cannot run). */
  readonly alternativeSeconds?: number;
}

/** The server's choice of backend per linear layer, sent to the client. */
export interface BackendPlan {
  readonly layers: readonly PlannedLayer[];
  /** Predicted seconds of the linear layers, HE key setup included when some layer uses HE. */
  readonly predictedSeconds: number;
  /** The link figures the plan was made for. */
  readonly link: LinkCost;
}

/** Whether the plan runs any layer on HE (then the session sets up HE keys). */
export const planUsesHe = (plan: BackendPlan): boolean =>
  plan.layers.some((l) => l.backend === 'he');

/**
 * The plan for `program` on `link`: each linear layer on its cheaper backend, unless running
 * every layer on OT is cheaper than that with HE's setup added. `heCounts` undefined (HE
 * unavailable or ℓ outside the ring HE's widths): all on OT.
 */
export function planBackends(
  program: FixedProgram,
  link: LinkCost,
  coefficients: CostCoefficients,
  heCounts: HeCounter | undefined,
): BackendPlan {
  const steps = program.steps.filter(isLinearStep);
  const rows = steps.map((step) => ({
    step,
    ot: predictOt(step, program.ell, program.weightBits, coefficients, link).seconds,
    he: heCounts && predictHe(heCounts(step), program.ell, coefficients, link).seconds,
  }));
  const allOt = rows.reduce((sum, r) => sum + r.ot, 0);
  const setup = coefficients.he.setupSeconds + transfer(coefficients.he.setupBytes, 1, link);
  const mixed =
    rows.reduce((sum, r) => sum + Math.min(r.ot, r.he ?? r.ot), 0) +
    (rows.some((r) => r.he !== undefined && r.he < r.ot) ? setup : 0);
  const useHe = mixed < allOt;
  const layers = rows.map(({ step, ot, he }): PlannedLayer => {
    const backend: LinearBackend = useHe && he !== undefined && he < ot ? 'he' : 'ot';
    const [chosen, other] = backend === 'he' ? [he!, ot] : [ot, he];
    return {
      step: step.name,
      node: step.node,
      backend,
      predictedSeconds: chosen,
      ...(other === undefined ? {} : { alternativeSeconds: other }),
    };
  });
  return { layers, predictedSeconds: useHe ? mixed : allOt, link };
}

/** What both parties compare: a hash of the backend per step, in program order. */
export const planDigest = (plan: BackendPlan): string =>
  bytesToHex(sha256(utf8ToBytes(plan.layers.map((l) => `${l.step}:${l.backend}`).join('\n'))));
