// The fixed-point program: what the compiler makes of a graph and what both the cleartext
// oracle and the secure executor walk, step by step, so they cannot disagree on semantics.
//
// Every value is an integer: the real number v is round(v · 2^s). Linear steps (conv, gemm,
// affine) take scale-s inputs and scale-s weights and produce scale-2s outputs (their bias is
// quantised at 2s); a `trunc` step brings them back to s by an arithmetic shift (floor). The
// program is split in two: the public part (shapes, ℓ, s, kinds; safe to send to the client)
// and the server's weights, keyed by step name, which never leave the server.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { convOutputSize } from '@secinfer/mpc-primitives';
import type { GroupedConvLayer } from '../kernels/conv.js';
import type { PoolGeometry } from '../kernels/pool.js';

interface StepBase {
  /** Unique step name; the graph node it came from, with a suffix for compiler-made steps. */
  readonly name: string;
  /** The graph node this step implements (for error messages and per-layer reports). */
  readonly node: string;
  readonly inputs: readonly string[];
  readonly output: string;
}

/** Convolution, NCHW, weights [M, C/group, kH, kW] at scale s, bias at scale 2s. Output at 2s. */
export interface ConvStep extends StepBase {
  readonly kind: 'conv';
  readonly geometry: GroupedConvLayer;
  readonly hasBias: boolean;
}

/** [M, K] · weight[N, K]^T + bias: a fully-connected layer. Output at 2s. */
export interface GemmStep extends StepBase {
  readonly kind: 'gemm';
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly hasBias: boolean;
}

/** Per-channel y = a[c]·x + b[c] over [N, C, inner] (a batch norm that could not be folded). Output at 2s. */
export interface AffineStep extends StepBase {
  readonly kind: 'affine';
  readonly batch: number;
  readonly channels: number;
  readonly inner: number;
}

/** ⌊x / 2^bits⌋; `nonNegative` when the compiler knows x ≥ 0 (after a ReLU): a cheaper protocol. */
export interface TruncStep extends StepBase {
  readonly kind: 'trunc';
  readonly bits: number;
  readonly nonNegative: boolean;
}

/** x · 2^bits: a value at scale s lifted to the 2s of a wide sum it joins (local, exact). */
export interface ScaleUpStep extends StepBase {
  readonly kind: 'scaleup';
  readonly bits: number;
}

export interface ReluStep extends StepBase {
  readonly kind: 'relu';
}

/** Max over windows; geometry as the graph's MaxPool. */
export interface MaxPoolStep extends StepBase {
  readonly kind: 'maxpool';
  readonly geometry: PoolGeometry;
}

/** ⌊window sum / count⌋, the count with or without padding cells. */
export interface AvgPoolStep extends StepBase {
  readonly kind: 'avgpool';
  readonly geometry: PoolGeometry;
  readonly countIncludePad: boolean;
}

/** ⌊plane sum / plane size⌋ for each of `planes` planes. */
export interface GlobalAvgPoolStep extends StepBase {
  readonly kind: 'globalavgpool';
  readonly planes: number;
  readonly planeSize: number;
}

/** a + b with NumPy broadcasting (both at the same scale). */
export interface AddStep extends StepBase {
  readonly kind: 'add';
  readonly shapes: readonly [readonly number[], readonly number[]];
  readonly outShape: readonly number[];
}

export interface ConcatStep extends StepBase {
  readonly kind: 'concat';
  readonly axis: number;
  readonly shapes: readonly (readonly number[])[];
  readonly outShape: readonly number[];
}

/** Same elements, new shape (flatten, reshape): free. */
export interface ReshapeStep extends StepBase {
  readonly kind: 'reshape';
}

/** A model constant at scale s (server-held, like a weight). */
export interface ConstantStep extends StepBase {
  readonly kind: 'constant';
  readonly size: number;
}

export interface ArgMaxStep extends StepBase {
  readonly kind: 'argmax';
  readonly shape: readonly number[];
  readonly axis: number;
  readonly selectLastIndex: boolean;
}

/** One step of a fixed-point program. */
export type FixedStep =
  | ConvStep
  | GemmStep
  | AffineStep
  | TruncStep
  | ScaleUpStep
  | ReluStep
  | MaxPoolStep
  | AvgPoolStep
  | GlobalAvgPoolStep
  | AddStep
  | ConcatStep
  | ReshapeStep
  | ConstantStep
  | ArgMaxStep;

/** The public half of a compiled model: everything but the weights. JSON-safe. */
export interface FixedProgram {
  /** Ring bit width ℓ (the HE backend uses the prime of the same ℓ). */
  readonly ell: number;
  /** Fractional bits s. */
  readonly scale: number;
  /** Every conv/gemm/affine weight is a signed integer of this many bits (≤ ℓ; the OT backend's OTs per weight). */
  readonly weightBits: number;
  readonly inputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  readonly outputs: readonly { readonly name: string; readonly shape: readonly number[] }[];
  /** Steps in execution order. */
  readonly steps: readonly FixedStep[];
}

/** The server's integer weights of one step (conv/gemm: weight, bias; affine: a, b; constant: value). */
export interface StepWeights {
  readonly weight: Float64Array;
  readonly bias?: Float64Array;
}

/** A compiled model: the public program and the server's weights (absent on the client). */
export interface FixedModel {
  readonly program: FixedProgram;
  readonly weights: ReadonlyMap<string, StepWeights>;
}

/**
 * A conv step's geometry as the program's JSON carries it. This form predates the shared
 * ConvLayer and stays, so that the wire format and every program digest are unchanged.
 */
interface ConvGeometryJson {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly m: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
  readonly group: number;
}

function convGeometryJson(g: GroupedConvLayer): ConvGeometryJson {
  const [oh, ow] = convOutputSize(g);
  return {
    n: g.batch,
    c: g.inChannels,
    h: g.height,
    w: g.width,
    m: g.outChannels,
    kh: g.kernel[0],
    kw: g.kernel[1],
    oh,
    ow,
    strides: g.strides,
    pads: g.pads,
    dilations: g.dilations,
    group: g.group,
  };
}

function convLayerFromJson(g: ConvGeometryJson): GroupedConvLayer {
  return {
    batch: g.n,
    inChannels: g.c,
    height: g.h,
    width: g.w,
    outChannels: g.m,
    kernel: [g.kh, g.kw],
    strides: g.strides,
    pads: g.pads,
    dilations: g.dilations,
    group: g.group,
  };
}

/** The public program as JSON: what the server sends and what the digest hashes. */
export function programToJson(program: FixedProgram): string {
  return JSON.stringify({
    ...program,
    steps: program.steps.map((step) =>
      step.kind === 'conv' ? { ...step, geometry: convGeometryJson(step.geometry) } : step,
    ),
  });
}

/**
 * A program from `programToJson`'s text (JSON.parse's errors pass through). Only conv steps
 * are rewritten; the caller checks the shape of the rest.
 */
export function programFromJson(text: string): FixedProgram {
  const program = JSON.parse(text);
  if (!Array.isArray(program?.steps)) return program;
  const steps = program.steps.map((step: { kind?: unknown; geometry?: ConvGeometryJson }) =>
    step?.kind === 'conv' && typeof step.geometry === 'object' && step.geometry !== null
      ? { ...step, geometry: convLayerFromJson(step.geometry) }
      : step,
  );
  return { ...program, steps };
}

/**
 * SHA-256 of the public program (its JSON as UTF-8), in hex: both parties compare it in the
 * session handshake. Pure JS, so the browser client computes the same digest.
 */
export function programDigest(program: FixedProgram): string {
  return bytesToHex(sha256(utf8ToBytes(programToJson(program))));
}
