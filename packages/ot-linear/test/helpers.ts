/**
 * Test helpers: values through BigInt (test code only), additive sharing, the cleartext
 * oracles (matrix product and NCHW convolution mod 2^ℓ), and both parties on the real OT stack
 * over an in-memory channel with a per-phase byte count.
 */
import { randomFillSync } from 'node:crypto';
import {
  CLIENT,
  type Party,
  type PartyContext,
  partyContext,
  SERVER,
} from '@secinfer/mpc-primitives';
import { OtPack } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport';
import type { ConvLayer } from '../src/index.js';

export const words = (ell: number) => (ell <= 32 ? 1 : 2);

export function toLayout(values: bigint[], ell: number): Uint32Array {
  const w = words(ell);
  const out = new Uint32Array(values.length * w);
  values.forEach((v, j) => {
    const u = BigInt.asUintN(ell, v);
    out[j * w] = Number(u & 0xffffffffn);
    if (w === 2) out[j * w + 1] = Number(u >> 32n);
  });
  return out;
}

export function fromLayout(x: Uint32Array, ell: number): bigint[] {
  const w = words(ell);
  const out: bigint[] = [];
  for (let j = 0; j < x.length; j += w)
    out.push(BigInt(x[j]!) + (w === 2 ? BigInt(x[j + 1]!) << 32n : 0n));
  return out;
}

/** Uniform ℓ-bit values, with the edges 0, 1, 2^(ℓ−1), 2^ℓ − 1 mixed in at the front. */
export function randomValues(count: number, ell: number): bigint[] {
  const raw = randomFillSync(new BigUint64Array(count));
  const out = [...raw].map((v) => BigInt.asUintN(ell, v));
  const edges = [0n, 1n, 1n << BigInt(ell - 1), (1n << BigInt(ell)) - 1n];
  for (let i = 0; i < Math.min(count, edges.length); i++) out[i] = edges[i]!;
  return out;
}

/** Additive shares mod 2^ℓ: [server, client] in the layout. */
export function share(values: bigint[], ell: number): [Uint32Array, Uint32Array] {
  const mask = randomValues(values.length + 4, ell).slice(4);
  return [
    toLayout(mask, ell),
    toLayout(
      values.map((v, i) => v - mask[i]!),
      ell,
    ),
  ];
}

export function reconstruct(a: Uint32Array, b: Uint32Array, ell: number): bigint[] {
  const y = fromLayout(b, ell);
  return fromLayout(a, ell).map((v, i) => BigInt.asUintN(ell, v + y[i]!));
}

/** W (d1 × d2) · X (d2 × d3) mod 2^ℓ. */
export function matmulOracle(
  w: bigint[],
  x: bigint[],
  d1: number,
  d2: number,
  d3: number,
  ell: number,
): bigint[] {
  const out: bigint[] = [];
  for (let i = 0; i < d1; i++) {
    for (let j = 0; j < d3; j++) {
      let s = 0n;
      for (let k = 0; k < d2; k++) s += w[i * d2 + k]! * x[k * d3 + j]!;
      out.push(BigInt.asUintN(ell, s));
    }
  }
  return out;
}

/** NCHW convolution, weights [M, C, kh, kw], output [N, M, OH, OW], mod 2^ℓ. */
export function convOracle(x: bigint[], w: bigint[], l: ConvLayer, ell: number): bigint[] {
  const [kh, kw] = l.kernel;
  const [sh, sw] = l.strides;
  const [dh, dw] = l.dilations ?? [1, 1];
  const [pt, pl, pb, pr] = l.pads;
  const oh = Math.floor((l.height + pt + pb - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((l.width + pl + pr - dw * (kw - 1) - 1) / sw) + 1;
  const out: bigint[] = [];
  for (let n = 0; n < l.batch; n++)
    for (let m = 0; m < l.outChannels; m++)
      for (let oy = 0; oy < oh; oy++)
        for (let ox = 0; ox < ow; ox++) {
          let s = 0n;
          for (let c = 0; c < l.inChannels; c++)
            for (let dy = 0; dy < kh; dy++)
              for (let dx = 0; dx < kw; dx++) {
                const iy = oy * sh + dy * dh - pt;
                const ix = ox * sw + dx * dw - pl;
                if (iy < 0 || iy >= l.height || ix < 0 || ix >= l.width) continue;
                s +=
                  w[((m * l.inChannels + c) * kh + dy) * kw + dx]! *
                  x[((n * l.inChannels + c) * l.height + iy) * l.width + ix]!;
              }
          out.push(BigInt.asUintN(ell, s));
        }
  return out;
}

export interface Session {
  channels: [Channel, Channel];
  contexts: [PartyContext, PartyContext];
}

let session: Promise<Session> | undefined;
/** One OT setup (base OTs both ways) reused by a test file. */
export function sharedSession(): Promise<Session> {
  session ??= (async () => {
    const channels = memoryPair();
    const packs = await Promise.all([
      OtPack.setup(SERVER, channels[0]),
      OtPack.setup(CLIENT, channels[1]),
    ]);
    return { channels, contexts: [partyContext(packs[0]), partyContext(packs[1])] };
  })();
  return session;
}

let phases = 0;
/** Runs f for both parties in a fresh phase; returns both results and the both-way bytes. */
export async function both<T>(
  f: (party: Party, ctx: PartyContext) => Promise<T>,
): Promise<{ results: [T, T]; bytes: number }> {
  const { channels, contexts } = await sharedSession();
  const label = `phase-${phases++}`;
  const results = await Promise.all(
    ([SERVER, CLIENT] as const).map((p) => channels[p].phase(label, () => f(p, contexts[p]))),
  );
  const phase = channels[0].phases().get(label)!;
  return { results: results as [T, T], bytes: phase.bytesSent + phase.bytesReceived };
}

/** Both-way payload bytes so far on the server's channel. */
export async function totalBytes(): Promise<number> {
  const { channels } = await sharedSession();
  return channels[0].stats.bytesSent + channels[0].stats.bytesReceived;
}

/**
 * The formula: W (d1 × d2) · X (d2 × d3) costs, in the orientation with fewer bytes (n = A's
 * elements × its bits — ℓ for the client's share, b for weights of b signed bits — k values per
 * OT), 16 B per OT of IKNP columns plus k·Σ_{i<bits}(ℓ − i) bits per element of A; one batch
 * (the tests stay below the OT layer's batch size).
 */
export function matmulBytes(d1: number, d2: number, d3: number, ell: number, b = ell): number {
  const cost = (elements: number, bits: number, k: number) => {
    let perElement = 0;
    for (let i = 0; i < bits; i++) perElement += ell - i;
    return 128 * Math.ceil((elements * bits) / 8) + Math.ceil((elements * k * perElement) / 8);
  };
  return Math.min(cost(d2 * d3, ell, d1), cost(d1 * d2, b, d3));
}

/** Uniform signed b-bit values in the ℓ-bit layout, the extremes and −1 mixed in at the front. */
export function signedValues(count: number, bits: number, ell: number): bigint[] {
  const half = 1n << BigInt(bits - 1);
  const out = randomValues(count, bits).map((v) => BigInt.asUintN(ell, BigInt.asIntN(bits, v)));
  const edges = [-half, half - 1n, -1n, 0n].map((v) => BigInt.asUintN(ell, v));
  for (let i = 0; i < Math.min(count, edges.length); i++) out[i] = edges[i]!;
  return out;
}
