// The real backends behind the secure executor, and the public entry points of a session.
//   ot: Z_2^ℓ; conv, gemm and the per-channel affine map (one row scaling for all planes) on
//       vector correlated OT (@secinfer/ot-linear);
//   he: Z_2^ℓ as ot (Cheetah); conv, gemm and the per-channel affine map with BFV at
//       plaintext modulus 2^ℓ (@secinfer/he-linear, an optional peer imported only here), the
//       keys made once per session;
//   he-field: Z_p (p the BFV plaintext prime of this ℓ: CrypTFlow2's SCI_HE), the same layers
//       with batched BFV, and every non-linear layer over the field too.
//   auto: Z_2^ℓ as ot and he; each linear layer on OT or ring BFV as the server's plan says
//       (cost-model.ts), the BFV keys made only if some layer uses them.
// Non-linear layers run on OT in all of them (the domains of ./domain.ts).

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
import type { Channel } from '@secinfer/transport/core';
import { FixedPointError, SessionError } from '../errors.js';
import type { FixedModel, FixedProgram } from '../fixed/program.js';
import type { GroupedConvLayer } from '../kernels/conv.js';
import { COST_COEFFICIENTS } from './cost-coefficients.js';
import {
  type BackendPlan,
  type CostCoefficients,
  type HeCounter,
  type LinkCost,
  planBackends,
  planUsesHe,
} from './cost-model.js';
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
 * The layers of each step on the backend the plan names: OT's or ring HE's (`he` undefined
 * when no layer uses HE).
 */
function plannedLinear(
  plan: BackendPlan,
  ot: LinearLayers<Uint32Array>,
  he: LinearLayers<Uint32Array> | undefined,
): LinearLayers<Uint32Array> {
  const onHe = new Set(plan.layers.filter((l) => l.backend === 'he').map((l) => l.step));
  const pick = (step: string) => (onHe.has(step) ? he! : ot);
  return {
    conv: (step, x, w) => pick(step.name).conv(step, x, w),
    gemm: (step, x, w) => pick(step.name).gemm(step, x, w),
    affine: (step, x, scale) => pick(step.name).affine(step, x, scale),
  };
}

/**
 * The bandwidth ring HE's geometries plan for on `link` (he-linear's HeParams): none on an
 * unbounded one.
 */
const linkBytesPerSecond = (link: LinkCost | undefined) =>
  link && Number.isFinite(link.bytesPerSecond) ? link.bytesPerSecond : undefined;

/**
 * What a ring HE layer does, from he-linear's coefficient geometry (its plans' counts) as a
 * session of `program` planning for `link` picks it.
 */
export function heCounter(
  module: HeLinearModule,
  program: Pick<FixedProgram, 'ell' | 'weightBits'>,
  link?: LinkCost,
): HeCounter {
  const costs = module.convOperationCosts(
    module.ringHeParamsFor(program.ell, {
      weightBits: program.weightBits,
      linkBytesPerSecond: linkBytesPerSecond(link),
    }),
  );
  return (step) => {
    if (step.kind === 'affine') {
      const g = module.coefficientBnGeometry({
        batch: step.batch,
        channels: step.channels,
        spatial: step.inner,
      });
      const ciphertexts = g.channelBlocks * step.batch * g.chunks;
      return {
        inputs: ciphertexts,
        outputs: ciphertexts,
        products: ciphertexts,
        kernels: g.channelBlocks,
      };
    }
    const layer =
      step.kind === 'conv'
        ? checkConv(step.node, step.geometry)
        : module.fcAsConv({ batch: step.m, inFeatures: step.k, outFeatures: step.n });
    const g = module.coefficientConvGeometry(layer, costs);
    const tiles = layer.batch * g.tilesH * g.tilesW;
    return {
      inputs: tiles * g.channelBlocks,
      outputs: tiles * g.outGroups,
      products: tiles * g.outGroups * g.channelBlocks,
      kernels: g.channelBlocks * g.outGroups,
    };
  };
}

/**
 * The server's plan for backend `auto`: OT or ring HE per linear layer on `link`; all on OT
 * when ℓ is outside ring HE's widths or he-linear is not installed.
 */
export async function planAuto(
  program: FixedProgram,
  link: LinkCost,
  coefficients: CostCoefficients = COST_COEFFICIENTS,
): Promise<BackendPlan> {
  const module = backendBitWidths('he').includes(program.ell)
    ? await loadHeLinear('auto').catch(() => undefined)
    : undefined;
  return planBackends(program, link, coefficients, module && heCounter(module, program, link));
}

/**
 * Loads what `backend` may need (the HE package, with its SEAL build, for every backend but
 * `ot`) ahead of a session, so that its first session does not wait for the import; `auto`
 * goes on without HE if the package is absent.
 */
export async function preloadBackend(backend: Backend): Promise<void> {
  if (backend === 'auto') await loadHeLinear(backend).catch(() => undefined);
  else if (backend !== 'ot') await loadHeLinear(backend);
}

/**
 * The ring bit widths ℓ a backend runs: any 2..64 for `ot` and `auto` (whose layers fall back
 * to OT outside HE's widths); 2..41 for `he` (its ring parameters); `he-field` only where it
 * has a plaintext prime.
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

/**
 * The ring HE context and layers of a session, flooding sized for `layers` HE layers, its
 * geometries planned for `link` (backend auto's agreed plan; none otherwise).
 */
async function ringHe(
  ctx: PartyContext,
  program: FixedProgram,
  layers: number,
  threads: number,
  link?: LinkCost,
): Promise<{ linear: LinearLayers<Uint32Array>; dispose: () => void }> {
  const module = await loadHeLinear('he');
  const ell = heEll<number>('he', program);
  const params = module.ringHeParamsFor(ell, {
    weightBits: program.weightBits,
    layers: Math.max(1, layers),
    linkBytesPerSecond: linkBytesPerSecond(link),
  });
  const he = await module.heContext(ctx, params, { threads });
  return { linear: heRingLinear(module, he, ell), dispose: () => he.he.dispose() };
}

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
  plan?: BackendPlan,
): Promise<BackendRuntime<Uint32Array | Float64Array>> {
  const threads = options.threads ?? 1;
  if (backend === 'ot') {
    return {
      domain: ringDomain(program.ell, options.truncation),
      linear: otLinear(ctx, program.ell, program.weightBits),
      dispose() {},
    };
  }
  if (backend === 'he') {
    const he = await ringHe(ctx, program, heLayerCount(program), threads);
    return { domain: ringDomain(program.ell, options.truncation), ...he };
  }
  if (backend === 'auto') {
    if (!plan) throw new SessionError('plan', 'backend auto runs only with an agreed plan');
    const onHe = plan.layers.filter((l) => l.backend === 'he').length;
    const he = planUsesHe(plan) ? await ringHe(ctx, program, onHe, threads, plan.link) : undefined;
    return {
      domain: ringDomain(program.ell, options.truncation),
      linear: plannedLinear(plan, otLinear(ctx, program.ell, program.weightBits), he?.linear),
      dispose: () => he?.dispose(),
    };
  }
  const module = await loadHeLinear(backend);
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
  return serveInferenceWith(
    channel,
    model,
    options,
    (backend, ctx, program, plan) => makeBackend(backend, ctx, program, options, plan),
    planAuto,
  );
}

/** The client's side: its input stays here; it learns the model's outputs and nothing else. */
export function requestInference(
  channel: Channel,
  input: ClientInput,
  options: ClientOptions & BackendOptions,
): Promise<InferenceResult> {
  return requestInferenceWith(channel, input, options, (backend, ctx, program, plan) =>
    makeBackend(backend, ctx, program, options, plan),
  );
}
