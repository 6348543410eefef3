/**
 * The ring layers (t = 2^ℓ, coefficient encoding: Cheetah's HomConv, HomFC, HomBN) end to end
 * on real BFV, for ℓ = 20, 32, 37 and 41: reconstructed shares in the ring layout equal a BigInt
 * reference exactly (stride 2 with padding, asymmetric padding, 1×1, a tiled plane, FC with
 * odd sizes and batch 2, batch norm with chunked planes); the decrypted ciphertexts keep
 * MIN_BUDGET bits of noise budget; the ring sends no Galois keys; weights beyond the public
 * bound and field sessions are refused before any I/O. The cleartext ring layers against the
 * same reference, also with weights that take the digit path.
 */
import {
  CLIENT,
  type ConvLayer,
  convOutputSize,
  type Ring,
  ring,
  ringAdd,
  ringFromSigned,
  ringRandom,
  ringSub,
  ringToUnsigned,
  SERVER,
} from '@secinfer/mpc-primitives';
import { memoryPair, simulateLink } from '@secinfer/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeParameterMismatchError, HeShapeError } from '../src/errors.js';
import { MIN_BUDGET } from '../src/noise.js';
import { heParamsFor, ringCoefficientModulus, ringHeParamsFor } from '../src/params.js';
import { coefficientConvGeometry, convOperationCosts } from '../src/plans/conv-coefficients.js';
import { heBatchNormRing, heConv2dRing, heFullyConnectedRing } from '../src/protocols/ring.js';
import { bnRing, conv2dRing, ringRandomValues } from '../src/ring-cleartext.js';
import { HeSession } from '../src/session.js';
import { contextOf, convLayer, setupPair } from './helpers.js';

/** The convolution over Z_2^ℓ in BigInt, from the definition. */
function convReference(r: Ring, layer: ConvLayer, x: Uint32Array, w: Uint32Array): bigint[] {
  const xs = Array.from(ringToUnsigned(r, x), BigInt);
  const ws = Array.from(ringToUnsigned(r, w), BigInt);
  const { batch, inChannels: C, height: H, width: W, outChannels: M } = layer;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.strides;
  const [pt, pl] = layer.pads;
  const [OH, OW] = convOutputSize(layer);
  const mask = (1n << BigInt(r.ell)) - 1n;
  const out: bigint[] = [];
  for (let b = 0; b < batch; b++)
    for (let m = 0; m < M; m++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          let acc = 0n;
          for (let c = 0; c < C; c++)
            for (let dy = 0; dy < kh; dy++)
              for (let dx = 0; dx < kw; dx++) {
                const [ih, iw] = [oh * sh + dy - pt, ow * sw + dx - pl];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                acc +=
                  xs[((b * C + c) * H + ih) * W + iw]! * ws[((m * C + c) * kh + dy) * kw + dx]!;
              }
          out.push(acc & mask);
        }
  return out;
}

const asBigInts = (r: Ring, y: Uint32Array) => Array.from(ringToUnsigned(r, y), BigInt);

const conv = convLayer;

const convCases: [string, ConvLayer][] = [
  ['3×3 s2 pad 1', conv(6, 13, 12, 5, [3, 3], [2, 2], [1, 1, 1, 1])],
  ['3×3 s1 asymmetric pad, batch 2', conv(3, 9, 10, 4, [3, 3], [1, 1], [0, 0, 1, 1], 2)],
  ['1×1 s1', conv(17, 7, 7, 9, [1, 1], [1, 1], [0, 0, 0, 0])],
  ['5×5 s2 on 100×100 (tiles)', conv(1, 100, 100, 2, [5, 5], [2, 2], [2, 2, 2, 2])],
];

/** Random weights that are signed `bits`-bit integers, in the ring layout. */
const weightsOf = (r: Ring, n: number, bits: number) =>
  ringFromSigned(
    r,
    Array.from(ringToUnsigned(ring(bits), ringRandom(ring(bits), n)), (v) =>
      v >= 2 ** (bits - 1) ? v - 2 ** bits : v,
    ),
  );

describe('cleartext ring layers', () => {
  for (const ell of [20, 31, 32, 37, 41] as const) {
    const r = ring(ell);
    it(`ℓ = ${ell}: conv equals the BigInt reference, small and full-width weights`, () => {
      const layer = conv(3, 6, 7, 2, [3, 3], [2, 1], [1, 0, 1, 1]);
      const x = ringRandom(r, 3 * 6 * 7);
      for (const w of [weightsOf(r, 2 * 3 * 9, 8), ringRandom(r, 2 * 3 * 9)]) {
        const y = conv2dRing(2 ** ell, layer, ringToUnsigned(r, x), ringToUnsigned(r, w));
        expect(Array.from(y, BigInt)).toEqual(convReference(r, layer, x, w));
      }
    });
    it(`ℓ = ${ell}: batch norm equals the BigInt reference`, () => {
      const layer = { batch: 2, channels: 3, spatial: 5 };
      const x = ringRandom(r, 30);
      const scale = ringRandom(r, 3);
      const y = bnRing(2 ** ell, layer, ringToUnsigned(r, x), ringToUnsigned(r, scale));
      const s = asBigInts(r, scale);
      const expected = asBigInts(r, x).map(
        (v, e) => (v * s[Math.floor(e / 5) % 3]!) & ((1n << BigInt(ell)) - 1n),
      );
      expect(Array.from(y, BigInt)).toEqual(expected);
    });
  }
  for (const ell of [25, 32, 37, 41] as const)
    it(`ℓ = ${ell}: conv over several im2col chunks, an odd tap count and batch 2`, () => {
      const r = ring(ell);
      // K = 201·9 taps: chunks of 36 positions over 10×11 outputs, the last one partial.
      const layer = conv(201, 10, 11, 3, [3, 3], [1, 1], [1, 1, 1, 1], 2);
      const x = ringRandom(r, 2 * 201 * 10 * 11);
      const w = ringRandom(r, 3 * 201 * 9);
      const y = conv2dRing(2 ** ell, layer, ringToUnsigned(r, x), ringToUnsigned(r, w));
      expect(Array.from(y, BigInt)).toEqual(convReference(r, layer, x, w));
    });
  for (const ell of [2, 31, 32, 33, 41, 53]) {
    it(`ℓ = ${ell}: random masks are integers in [0, 2^ℓ) whose every bit varies`, () => {
      const values = ringRandomValues(ell, 4096);
      let seenOnes = 0n;
      let seenZeros = 0n;
      for (const v of values) {
        expect(Number.isInteger(v) && v >= 0 && v < 2 ** ell).toBe(true);
        seenOnes |= BigInt(v);
        seenZeros |= ~BigInt(v) & ((1n << BigInt(ell)) - 1n);
      }
      // Each bit is 1 in some mask and 0 in another (a bit stuck either way fails w.p. 2^-4095).
      expect(seenOnes).toBe((1n << BigInt(ell)) - 1n);
      expect(seenZeros).toBe((1n << BigInt(ell)) - 1n);
    });
  }
});

describe('a ring session planning for a declared link', () => {
  const r = ring(32);
  const layer = conv(16, 56, 56, 16, [3, 3], [2, 2], [1, 1, 1, 1]);
  const slowLink = ringHeParamsFor(32, { weightBits: 16, linkBytesPerSecond: 10e6 });
  let server: HeSession;
  let client: HeSession;
  beforeAll(async () => {
    ({ server, client } = await setupPair(slowLink));
  });
  afterAll(() => {
    server.dispose();
    client.dispose();
  });

  it('prices each ciphertext by its bytes: fewer bytes for at most as many products', () => {
    const count = (g: ReturnType<typeof coefficientConvGeometry>): [number, number, number] => {
      const tiles = g.tilesH * g.tilesW;
      return [g.channelBlocks * tiles, g.outGroups * tiles, g.channelBlocks * g.outGroups * tiles];
    };
    const lan = convOperationCosts(ringHeParamsFor(32));
    const slow = convOperationCosts(slowLink);
    // 184,336 input and 97,280 output bytes at 10 MB/s, longer than their compute.
    expect(slow.input).toBeCloseTo(18.434, 3);
    expect(slow.output).toBeCloseTo(9.728, 3);
    expect(convOperationCosts(ringHeParamsFor(32, { linkBytesPerSecond: 1e12 }))).toEqual(lan);
    expect(convOperationCosts(heParamsFor(32))).toEqual(lan);
    const [inputs, outputs, products] = count(coefficientConvGeometry(layer, lan));
    const [fewerInputs, fewerOutputs, moreProducts] = count(coefficientConvGeometry(layer, slow));
    const bytes = (i: number, o: number) => i * 184_336 + o * 97_280;
    expect(bytes(fewerInputs, fewerOutputs)).toBeLessThan(bytes(inputs, outputs));
    expect(moreProducts).toBeLessThanOrEqual(products);
  });

  it('its conv is still exact and sends the ciphertexts that geometry names', async () => {
    const n = 16 * 56 * 56;
    const x = ringRandom(r, n);
    const x0 = ringRandom(r, n);
    const w = weightsOf(r, 16 * 16 * 9, 16);
    const sent = client.channel.stats.bytesSent;
    const [y0, y1] = await Promise.all([
      heConv2dRing(contextOf(server), layer, x0, w),
      heConv2dRing(contextOf(client), layer, ringSub(r, x, x0)),
    ]);
    expect(asBigInts(r, ringAdd(r, y0, y1))).toEqual(convReference(r, layer, x, w));
    const g = coefficientConvGeometry(layer, convOperationCosts(slowLink));
    expect(client.lastLayer!.inputCiphertexts).toBe(g.channelBlocks * g.tilesH * g.tilesW);
    expect(client.channel.stats.bytesSent - sent).toBe(
      client.lastLayer!.inputCiphertexts * (16 + (3 * 8192 * 60) / 8),
    );
  });
});

describe('conv geometry', () => {
  it('refuses a kernel wider than a ciphertext holds, saying so', () => {
    const layer = conv(1, 100, 100, 1, [91, 91], [1, 1], [0, 0, 0, 0]);
    expect(() => coefficientConvGeometry(layer)).toThrow(HeShapeError);
    expect(() => coefficientConvGeometry(layer)).toThrow(/91×91 phase kernel does not fit/);
  });
  it('is the least estimate of every block shape (fewest bytes among ties), shapes skipped or not', () => {
    const costs = { product: 0.11, kernel: 0.8, input: 3.5, output: 6.4 };
    // Every (height, width, channels) block, in order, by the estimate the geometry documents.
    const exhaustive = (layer: ConvLayer) => {
      const g = coefficientConvGeometry(layer, costs);
      const { oh, ow, kh, kw, channels } = g;
      const M = layer.outChannels;
      const all: [number, number, number, number, number][] = [];
      for (let bh = kh; bh < oh + kh; bh++)
        for (let bw = kw; bw < ow + kw && bh * bw <= 8192; bw++)
          for (let bc = 1; bc <= Math.min(channels, Math.floor(8192 / (bh * bw))); bc++) {
            const tiles = Math.ceil(oh / (bh - kh + 1)) * Math.ceil(ow / (bw - kw + 1));
            const outGroups = Math.ceil(M / Math.min(M, Math.floor(8192 / (bh * bw * bc))));
            const blocks = Math.ceil(channels / bc);
            const estimate =
              costs.product * blocks * outGroups * tiles +
              costs.kernel * blocks * outGroups +
              costs.input * blocks * tiles +
              costs.output * outGroups * tiles;
            all.push([estimate, (2 * blocks + outGroups) * tiles, bh, bw, bc]);
          }
      const least = Math.min(...all.map(([e]) => e));
      const ties = all.filter(([e]) => e <= least * 1.1);
      const fewest = Math.min(...ties.map(([, size]) => size));
      const [, , bh, bw, bc] = ties.find(([, size]) => size === fewest)!;
      expect([g.blockHeight, g.blockWidth, g.blockChannels]).toEqual([bh, bw, bc]);
    };
    exhaustive(conv(64, 56, 56, 64, [3, 3], [2, 2], [1, 1, 1, 1]));
    exhaustive(conv(3, 32, 32, 16, [3, 3], [1, 1], [1, 1, 1, 1]));
    exhaustive(conv(37, 13, 21, 101, [5, 5], [2, 1], [2, 2, 2, 2]));
    exhaustive(conv(256, 14, 14, 7, [1, 1], [1, 1], [0, 0, 0, 0]));
  });
});

describe('ring parameters', () => {
  it('the cost model picks N = 8192 with three 60-bit data primes and a 38-bit special prime', () => {
    for (const ell of [32, 37, 41] as const)
      expect(ringHeParamsFor(ell).coeffModulusBits).toEqual([60, 60, 60, 38]);
    expect(() => ringCoefficientModulus(41, 41, 64)).toThrow(HeShapeError);
    expect(ringCoefficientModulus(41, 16, 64)).toEqual([60, 60, 60, 38]);
  });
});

for (const ell of [20, 32, 37, 41]) {
  describe(`ring layers, ℓ = ${ell}`, () => {
    const r = ring(ell);
    const weightBits = Math.min(16, ell);
    let server: HeSession;
    let client: HeSession;
    beforeAll(async () => {
      ({ server, client } = await setupPair(ringHeParamsFor(ell, { weightBits, layers: 8 })));
    });
    afterAll(() => {
      server.dispose();
      client.dispose();
    });

    const split = (n: number) => {
      const x = ringRandom(r, n);
      const x0 = ringRandom(r, n);
      return { x, x0, x1: ringSub(r, x, x0) };
    };

    it('sends only the public key (no Galois keys)', () => {
      // One seeded public key: 2 polynomials at 4 primes, one of them a seed.
      expect(client.setupStats.bytesSent).toBeLessThan(8192 * 4 * 8 + 4096);
    });

    const picked = ell === 37 ? convCases : convCases.slice(0, 2);
    for (const [name, layer] of picked)
      it(`conv ${name}`, async () => {
        const { x, x0, x1 } = split(layer.batch * layer.inChannels * layer.height * layer.width);
        const w = weightsOf(
          r,
          layer.outChannels * layer.inChannels * layer.kernel[0] * layer.kernel[1],
          weightBits,
        );
        const [y0, y1] = await Promise.all([
          heConv2dRing(contextOf(server), layer, x0, w),
          heConv2dRing(contextOf(client), layer, x1),
        ]);
        expect(asBigInts(r, ringAdd(r, y0, y1))).toEqual(convReference(r, layer, x, w));
        expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
      });

    it('fully connected 37 → 13, batch 2', async () => {
      const layer = { batch: 2, inFeatures: 37, outFeatures: 13 };
      const { x, x0, x1 } = split(2 * 37);
      const w = weightsOf(r, 13 * 37, weightBits);
      const [y0, y1] = await Promise.all([
        heFullyConnectedRing(contextOf(server), layer, x0, w),
        heFullyConnectedRing(contextOf(client), layer, x1),
      ]);
      const asConv = conv(37, 1, 1, 13, [1, 1], [1, 1], [0, 0, 0, 0], 2);
      expect(asBigInts(r, ringAdd(r, y0, y1))).toEqual(convReference(r, asConv, x, w));
      expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
    });

    it('sends seeded inputs and trimmed outputs: bytes = ciphertexts × their sizes', async () => {
      const layer = conv(4, 8, 8, 3, [3, 3], [2, 2], [1, 1, 1, 1]);
      const { x0, x1 } = split(4 * 8 * 8);
      const w = weightsOf(r, 3 * 4 * 9, weightBits);
      const [sent, received] = [client.channel.stats.bytesSent, client.channel.stats.bytesReceived];
      await Promise.all([
        heConv2dRing(contextOf(server), layer, x0, w),
        heConv2dRing(contextOf(client), layer, x1),
      ]);
      const stats = client.lastLayer!;
      const [d0, d1] = stats.trimBits;
      const Qp = Math.log2(Number(client.primes[0]!));
      let outputBytes = 2 * stats.outputPrimes * 8192 * 8 + 113;
      if (stats.outputPrimes === 1) {
        // One 60-bit prime: each half drops what leaves 2^−(MIN_BUDGET+3) of invariant noise.
        expect(d0).toBe(Math.floor(Qp - ell - MIN_BUDGET - 2));
        expect(d1).toBe(Math.max(0, Math.floor(Qp - ell - 13 - MIN_BUDGET - 2)));
        outputBytes = Math.ceil((8192 * (60 - d0)) / 8) + Math.ceil((8192 * (60 - d1)) / 8);
      } else expect([d0, d1]).toEqual([0, 0]);
      // ℓ = 41 needs two primes for the mod-switch rounding (t·N/q' ≤ 2^−8), so no trimming.
      expect(stats.outputPrimes).toBe(ell === 41 ? 2 : 1);
      if (ell === 20) expect(d1).toBeGreaterThan(0);
      const { bytesSent, bytesReceived } = client.channel.stats;
      // A seeded input is ours: its 16-byte seed, then c0 at the three data primes, 60 bits
      // per residue.
      expect(bytesSent - sent).toBe(stats.inputCiphertexts * (16 + (3 * 8192 * 60) / 8));
      expect(bytesReceived - received).toBe(stats.outputCiphertexts * outputBytes);
      expect(stats.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
    });

    it('batch norm, planes longer than N in chunks and short ones packed', async () => {
      for (const layer of [
        { batch: 1, channels: 2, spatial: 9000 },
        { batch: 2, channels: 7, spatial: 49 },
      ]) {
        const n = layer.batch * layer.channels * layer.spatial;
        const { x, x0, x1 } = split(n);
        const scale = weightsOf(r, layer.channels, weightBits);
        const [y0, y1] = await Promise.all([
          heBatchNormRing(contextOf(server), layer, x0, scale),
          heBatchNormRing(contextOf(client), layer, x1),
        ]);
        const s = asBigInts(r, scale);
        const mask = (1n << BigInt(ell)) - 1n;
        const expected = asBigInts(r, x).map(
          (v, e) => (v * s[Math.floor(e / layer.spatial) % layer.channels]!) & mask,
        );
        expect(asBigInts(r, ringAdd(r, y0, y1))).toEqual(expected);
        expect(client.lastLayer!.minNoiseBudget).toBeGreaterThanOrEqual(MIN_BUDGET);
      }
    });

    it('refuses weights beyond the public bound, before any I/O', async () => {
      const layer = conv(1, 3, 3, 1, [1, 1], [1, 1], [0, 0, 0, 0]);
      const big = ringFromSigned(r, [2 ** (weightBits - 1)]);
      await expect(heConv2dRing(contextOf(server), layer, ringRandom(r, 9), big)).rejects.toThrow(
        HeShapeError,
      );
    });
  });
}

describe('a server waiting on a slow client', () => {
  it('makes kernel plaintexts ahead, over several output groups and batch 2: still exact', async () => {
    const r = ring(32);
    const params = ringHeParamsFor(32, { weightBits: 16 });
    const [serverChannel, clientChannel] = memoryPair();
    // 184 KB per input at 20 MB/s: the server waits ≈ 9 ms for each.
    const slow = simulateLink(clientChannel, { bandwidthBytesPerSecond: 20e6, echoLatencyMs: 0 });
    const [server, client] = await Promise.all([
      HeSession.setup(SERVER, serverChannel, params),
      HeSession.setup(CLIENT, slow, params),
    ]);
    try {
      const layer = conv(48, 16, 16, 40, [3, 3], [1, 1], [1, 1, 1, 1], 2);
      expect(coefficientConvGeometry(layer).outGroups).toBeGreaterThan(2);
      const x = ringRandom(r, 2 * 48 * 16 * 16);
      const x0 = ringRandom(r, x.length);
      const w = weightsOf(r, 40 * 48 * 9, 16);
      const [y0, y1] = await Promise.all([
        heConv2dRing(contextOf(server), layer, x0, w),
        heConv2dRing(contextOf(client), layer, ringSub(r, x, x0)),
      ]);
      expect(asBigInts(r, ringAdd(r, y0, y1))).toEqual(convReference(r, layer, x, w));
    } finally {
      server.dispose();
      client.dispose();
    }
  });
});

describe('ring session setup', () => {
  it('rejects a peer with another weight bound, naming weightBits, on both sides', async () => {
    const [serverChannel, clientChannel] = memoryPair();
    const results = await Promise.allSettled([
      HeSession.setup(SERVER, serverChannel, ringHeParamsFor(32, { weightBits: 16 })),
      HeSession.setup(CLIENT, clientChannel, ringHeParamsFor(32, { weightBits: 12 })),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(HeParameterMismatchError);
      expect((result as PromiseRejectedResult).reason.field).toBe('weightBits');
    }
  });
});

describe('ring layers on a field session', () => {
  it('are refused', async () => {
    const [serverChannel, clientChannel] = memoryPair();
    const params = heParamsFor(32);
    const [server, client] = await Promise.all([
      HeSession.setup(SERVER, serverChannel, params),
      HeSession.setup(CLIENT, clientChannel, params),
    ]);
    const r = ring(32);
    const layer = conv(1, 3, 3, 1, [1, 1], [1, 1], [0, 0, 0, 0]);
    await expect(heConv2dRing(contextOf(client), layer, ringRandom(r, 9))).rejects.toThrow(
      HeShapeError,
    );
    server.dispose();
    client.dispose();
  });
});
