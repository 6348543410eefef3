// The real backends behind the secure executor, and the public entry points of a session.
//   ot: Z_2^ℓ; conv, gemm and the per-channel affine map (one row scaling for all planes) on
//       vector correlated OT (@secinfer/ot-linear);
//   he: Z_2^ℓ as ot (Cheetah); conv, gemm and the per-channel affine map with BFV at
//       plaintext modulus 2^ℓ (@secinfer/he-linear, an optional peer imported only here), the
//       keys made once per session;
//   he-field: Z_p (p the BFV plaintext prime of this ℓ: CrypTFlow2's SCI_HE), the same layers
//       with batched BFV, and every non-linear layer over the field too.
// Non-linear layers run on OT in all three (the domains of ./domain.ts).

import type { BnLayer, HeContext } from '@secinfer/he-linear';
import {
  type ConvLayer,
  type FcLayer,
  FIELD_PRIME_32,
  FIELD_PRIME_37,
  field,
  fieldFromSigned,
  ring,
  ringFromSigned,
} from '@secinfer/mpc-primitives';
import {
  conv2dServerWeights,
  fullyConnectedServerWeights,
  scaleRowsServerWeights,
} from '@secinfer/ot-linear';
import type { Channel } from '@secinfer/transport';
import { FixedPointError } from '../errors.js';
import type { FixedModel, FixedProgram } from '../fixed/program.js';
import type { GroupedConvLayer } from '../kernels/conv.js';
import { fieldDomain, type PartyContext, ringDomain } from './domain.js';
import type { LinearLayers } from './executor.js';
import { type HeLinearModule, loadHeLinear } from './he-linear-loader.js';
import {
  type Backend,
  type BackendRuntime,
  type ClientInput,
  type ClientOptions,
  type InferenceResult,
  requestInferenceWith,
  type SessionOptions,
  type SessionReport,
  serveInferenceWith,
} from './session.js';

/** What both backends run of a convolution: groups = 1 and dilation 1 (else a FixedPointError). */
function checkConv(node: string, g: GroupedConvLayer): ConvLayer {
  if (g.group !== 1 || g.dilations[0] !== 1 || g.dilations[1] !== 1) {
    throw new FixedPointError(
      node,
      `secure convolution supports groups = 1 and dilation 1 (this layer has groups ${g.group}, dilations ${g.dilations.join('×')})`,
    );
  }
  return g;
}

export function otLinear(
  ctx: PartyContext,
  ell: number,
  weightBits = ell,
): LinearLayers<Uint32Array> {
  const r = ring(ell);
  const narrow = { weightBits };
  const encode = (w: Float64Array | undefined) => w && ringFromSigned(r, w);
  return {
    conv: (step, x, w) => {
      const layer = checkConv(step.node, step.geometry);
      return conv2dServerWeights(ctx, layer, ell, x, encode(w), narrow);
    },
    gemm: (step, x, w) =>
      fullyConnectedServerWeights(
        ctx,
        { batch: step.m, inFeatures: step.k, outFeatures: step.n },
        ell,
        x,
        encode(w),
        narrow,
      ),
    affine: (step, x, scale) =>
      scaleRowsServerWeights(
        ctx,
        { rows: step.batch * step.channels, inner: step.inner },
        ell,
        x,
        scale &&
          ringFromSigned(
            r,
            Array.from({ length: step.batch * step.channels }, (_, p) => scale[p % step.channels]!),
          ),
        narrow,
      ),
  };
}

/** One HE layer call of he-linear, on shares of type S. */
type HeCall<L, S> = (he: HeContext, layer: L, x: S, weights?: S) => Promise<S>;

/** The executor's linear layers on he-linear's calls, the weights encoded by `encode`. */
function heLayers<S extends Uint32Array | Float64Array>(
  he: HeContext,
  calls: { conv: HeCall<ConvLayer, S>; fc: HeCall<FcLayer, S>; bn: HeCall<BnLayer, S> },
  encode: (w: Float64Array | undefined) => S | undefined,
): LinearLayers<S> {
  return {
    conv: (step, x, w) => calls.conv(he, checkConv(step.node, step.geometry), x, encode(w)),
    gemm: (step, x, w) =>
      calls.fc(he, { batch: step.m, inFeatures: step.k, outFeatures: step.n }, x, encode(w)),
    affine: (step, x, scale) =>
      calls.bn(
        he,
        { batch: step.batch, channels: step.channels, spatial: step.inner },
        x,
        encode(scale),
      ),
  };
}

/** The ring HE layers (Cheetah): weights and the per-channel scale as ring elements. */
function heRingLinear(
  module: HeLinearModule,
  he: HeContext,
  ell: number,
): LinearLayers<Uint32Array> {
  const r = ring(ell);
  const calls = {
    conv: module.heConv2dRing,
    fc: module.heFullyConnectedRing,
    bn: module.heBatchNormRing,
  };
  return heLayers(he, calls, (w) => w && ringFromSigned(r, w));
}

/** The field HE layers (SCI_HE): weights as field elements. */
function heLinear(
  module: HeLinearModule,
  he: HeContext,
  prime: number,
): LinearLayers<Float64Array> {
  const f = field(prime);
  const calls = {
    conv: (ctx: HeContext, layer: ConvLayer, x: Float64Array, w?: Float64Array) =>
      module.heConv2d(ctx, layer, x, w),
    fc: module.heFullyConnected,
    bn: module.heBatchNorm,
  };
  return heLayers(he, calls, (w) => w && fieldFromSigned(f, w));
}

/**
 * The ring bit widths ℓ a backend runs: any 2..64 for `ot`; 2..41 for `he` (its ring
 * parameters); `he-field` only where it has a plaintext prime.
 */
export function backendBitWidths(backend: Backend): readonly number[] {
  if (backend === 'he') return Array.from({ length: 40 }, (_, i) => i + 2);
  return backend === 'he-field' ? [32, 37] : Array.from({ length: 63 }, (_, i) => i + 2);
}

function heEll<E extends number>(backend: Backend, program: FixedProgram): E {
  const widths = backendBitWidths(backend);
  if (!widths.includes(program.ell)) {
    throw new FixedPointError(
      '(model)',
      `backend ${backend} supports ℓ = ${widths.join(', ')}; this model uses ℓ = ${program.ell}`,
    );
  }
  return program.ell as E;
}

/** The HE layers of a program: the flooding is sized for σ = 40 over all of them. */
const heLayerCount = (program: FixedProgram) =>
  program.steps.filter((s) => s.kind === 'conv' || s.kind === 'gemm' || s.kind === 'affine').length;

/** Options of a session with the real backends (the truncation mode picks the domain's protocol). */
export interface BackendOptions extends Pick<SessionOptions, 'truncation'> {
  /** Worker threads for the HE backend's ciphertext work (default 1). */
  readonly threads?: number;
}

export async function makeBackend(
  backend: Backend,
  ctx: PartyContext,
  program: FixedProgram,
  options: BackendOptions,
): Promise<BackendRuntime<Uint32Array | Float64Array>> {
  if (backend === 'ot') {
    return {
      domain: ringDomain(program.ell, options.truncation),
      linear: otLinear(ctx, program.ell, program.weightBits),
      dispose() {},
    };
  }
  const module = await loadHeLinear(backend);
  const threads = options.threads ?? 1;
  if (backend === 'he') {
    const ell = heEll<number>(backend, program);
    const params = module.ringHeParamsFor(ell, {
      weightBits: program.weightBits,
      layers: Math.max(1, heLayerCount(program)),
    });
    const he = await module.heContext(ctx, params, { threads });
    return {
      domain: ringDomain(ell, options.truncation),
      linear: heRingLinear(module, he, ell),
      dispose: () => he.he.dispose(),
    };
  }
  const ell = heEll<32 | 37>(backend, program);
  const prime = ell === 32 ? FIELD_PRIME_32 : FIELD_PRIME_37;
  const he = await module.heContext(ctx, module.heParamsFor(ell), { threads });
  return {
    domain: fieldDomain(ell, prime, options.truncation),
    linear: heLinear(module, he, prime),
    dispose: () => he.he.dispose(),
  };
}

/** The server's side of one secure inference: `model`'s weights stay here. */
export function serveInference(
  channel: Channel,
  model: FixedModel,
  options: SessionOptions & BackendOptions,
): Promise<SessionReport> {
  return serveInferenceWith(channel, model, options, (backend, ctx, program) =>
    makeBackend(backend, ctx, program, options),
  );
}

/** The client's side: its input stays here; it learns the model's outputs and nothing else. */
export function requestInference(
  channel: Channel,
  input: ClientInput,
  options: ClientOptions & BackendOptions,
): Promise<InferenceResult> {
  return requestInferenceWith(channel, input, options, (backend, ctx, program) =>
    makeBackend(backend, ctx, program, options),
  );
}
