/**
 * The session and the protocol's edges: key setup bytes, parameter disagreement (typed error
 * naming the field), shape and party errors before any I/O, the byte formula of a layer
 * (ciphertexts × their serialized sizes), and a WASM heap that stays flat over many layers.
 */
import { CLIENT, FIELD_PRIME_32, fieldRandom, SERVER } from '@secinfer/mpc-primitives';
import { memoryPair } from '@secinfer/transport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeParameterMismatchError, HeShapeError, NoiseBudgetError } from '../src/errors.js';
import { planNoise } from '../src/noise.js';
import { heParamsFor, ringHeParamsFor } from '../src/params.js';
import { convGeometry } from '../src/plans/conv.js';
import { coefficientConvGeometry } from '../src/plans/conv-coefficients.js';
import { heBatchNorm } from '../src/protocols/bn.js';
import { heConv2d } from '../src/protocols/conv.js';
import { heFullyConnected } from '../src/protocols/fc.js';
import { HeSession } from '../src/session.js';
import { contextOf, type SessionPair, sessionPair, shares } from './helpers.js';

// Capture the WASM memory SEAL instantiates (this file's process loads SEAL first here).
// The base tsconfig has no DOM lib, so the WebAssembly global is typed by hand.
interface WasmApi {
  instantiate(...args: unknown[]): Promise<{ instance: { exports: Record<string, unknown> } }>;
  Memory: abstract new (...args: never[]) => { buffer: ArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const memories: { buffer: ArrayBuffer }[] = [];
const instantiate = wasm.instantiate.bind(wasm);
wasm.instantiate = async (...args: unknown[]) => {
  const result = await instantiate(...args);
  for (const value of Object.values(result.instance.exports))
    if (value instanceof wasm.Memory) memories.push(value);
  return result;
};

/** Serialized bytes of a client ciphertext: c0 at 3 primes, SEAL header and members, c1's seed. */
const INPUT_CIPHERTEXT_BYTES = 3 * 8192 * 8 + 194;
/** Serialized bytes of a returned ciphertext at `primes` primes: c0 and c1, header and members. */
const outputCiphertextBytes = (primes: number) => 2 * primes * 8192 * 8 + 113;

describe('HeSession', () => {
  let pair: SessionPair;
  beforeAll(async () => {
    pair = await sessionPair(32);
  });
  afterAll(() => {
    pair.server.dispose();
    pair.client.dispose();
  });

  it('sends parameters, public key and 13 Galois keys once, and reports them', () => {
    const { server, client } = pair;
    expect(client.setupStats.bytesSent).toBe(server.setupStats.bytesReceived);
    // The parameter message each way (36 bytes + 4 per prime: 52); seeded public key and
    // Galois keys (measured sizes).
    const paramsBytes = 36 + 4 * 4;
    expect(server.setupStats.bytesSent).toBe(paramsBytes);
    expect(client.setupStats.bytesSent).toBeGreaterThan(paramsBytes + 13 * 700_000);
    expect(client.setupStats.bytesSent).toBeLessThan(paramsBytes + 13 * 900_000);
  });

  it('rejects a peer with another plaintext modulus, naming the field', async () => {
    const [a, b] = memoryPair();
    const results = await Promise.allSettled([
      HeSession.setup(SERVER, a, heParamsFor(32)),
      HeSession.setup(CLIENT, b, heParamsFor(37)),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as HeParameterMismatchError;
      expect(error).toBeInstanceOf(HeParameterMismatchError);
      expect(error.field).toBe('plainModulus');
      expect(error.code).toBe('PARAMETER_MISMATCH');
    }
  });

  it('rejects a peer that plans for another link, naming the field', async () => {
    const [a, b] = memoryPair();
    const results = await Promise.allSettled([
      HeSession.setup(SERVER, a, ringHeParamsFor(32, { linkBytesPerSecond: 44e6 })),
      HeSession.setup(CLIENT, b, ringHeParamsFor(32)),
    ]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason?.field)).toEqual([
      'linkBytesPerSecond',
      'linkBytesPerSecond',
    ]);
    expect(() => ringHeParamsFor(32, { linkBytesPerSecond: 0 })).not.toThrow();
    const [c] = memoryPair();
    await expect(
      HeSession.setup(SERVER, c, ringHeParamsFor(32, { linkBytesPerSecond: 0 })),
    ).rejects.toThrow(/linkBytesPerSecond must be a positive finite number, got 0/);
  });

  it('rejects other coefficient moduli and a non-batching plaintext modulus', async () => {
    const [a, b] = memoryPair();
    const other = { ...heParamsFor(32), coeffModulusBits: [60, 60, 38] };
    const results = await Promise.allSettled([
      HeSession.setup(SERVER, a, heParamsFor(32)),
      HeSession.setup(CLIENT, b, other),
    ]);
    expect(results.map((r) => (r as PromiseRejectedResult).reason?.field)).toEqual([
      'coeffModulusBits',
      'coeffModulusBits',
    ]);
    const [c] = memoryPair();
    await expect(
      HeSession.setup(SERVER, c, { ...heParamsFor(32), plainModulus: FIELD_PRIME_32 + 2 }),
    ).rejects.toThrow(HeShapeError);
  });

  it('checks shapes and parties before any I/O', async () => {
    const { server, client, f } = pair;
    const layer = { batch: 1, inFeatures: 4, outFeatures: 2 };
    const before = [server.channel.stats.bytesSent, client.channel.stats.bytesSent];
    await expect(
      heFullyConnected(contextOf(client), layer, fieldRandom(f, 4), fieldRandom(f, 8)),
    ).rejects.toThrow(/CLIENT must not pass/);
    await expect(heFullyConnected(contextOf(server), layer, fieldRandom(f, 4))).rejects.toThrow(
      /SERVER must pass/,
    );
    await expect(heFullyConnected(contextOf(client), layer, fieldRandom(f, 5))).rejects.toThrow(
      HeShapeError,
    );
    await expect(
      heFullyConnected(contextOf(client), layer, fieldRandom(f, 5)),
    ).rejects.toMatchObject({
      code: 'BAD_SHAPE',
    });
    const conv = {
      batch: 1,
      inChannels: 1,
      height: 2,
      width: 2,
      outChannels: 1,
      kernel: [3, 3] as [number, number],
      strides: [1, 1] as [number, number],
      pads: [0, 0, 0, 0] as [number, number, number, number],
    };
    await expect(heConv2d(contextOf(client), conv, fieldRandom(f, 4))).rejects.toThrow(
      /larger than the padded input/,
    );
    expect([server.channel.stats.bytesSent, client.channel.stats.bytesSent]).toEqual(before);
  });

  it('refuses a layer too large for the noise budget', () => {
    expect(() => planNoise(pair.server, 2 ** 40, 1)).toThrow(NoiseBudgetError);
    expect(() => planNoise(pair.server, 2 ** 40, 1)).toThrow(
      expect.objectContaining({ code: 'NOISE_BUDGET' }),
    );
  });

  for (const encoding of ['coefficients', 'slots'] as const)
    it(`${encoding}: sends exactly its ciphertexts: inputs × seeded size + outputs × size at the output level`, async () => {
      const { server, client, f } = pair;
      const layer = {
        batch: 1,
        inChannels: 9,
        height: 16,
        width: 16,
        outChannels: 3,
        kernel: [3, 3] as [number, number],
        strides: [2, 2] as [number, number],
        pads: [1, 1, 1, 1] as [number, number, number, number],
      };
      let inputs: number;
      let outputs: number;
      if (encoding === 'slots') {
        const g = convGeometry(layer);
        [inputs, outputs] = [g.copies * g.tiles, g.outGroups * g.tiles];
      } else {
        const g = coefficientConvGeometry(layer);
        const tiles = g.tilesH * g.tilesW;
        [inputs, outputs] = [g.channelBlocks * tiles, g.outGroups * tiles];
      }
      const { x0, x1 } = shares(f, 9 * 16 * 16);
      const w = fieldRandom(f, 3 * 9 * 9);
      const [s0, c0] = [server.channel.stats, client.channel.stats];
      await Promise.all([
        heConv2d(contextOf(server), layer, x0, w, { encoding }),
        client.channel.phase(`conv-${encoding}`, () =>
          heConv2d(contextOf(client), layer, x1, undefined, { encoding }),
        ),
      ]);
      const primes = server.lastLayer!.outputPrimes;
      expect(client.lastLayer!.outputCiphertexts).toBe(outputs);
      expect(client.channel.stats.bytesSent - c0.bytesSent).toBe(inputs * INPUT_CIPHERTEXT_BYTES);
      expect(server.channel.stats.bytesSent - s0.bytesSent).toBe(
        outputs * outputCiphertextBytes(primes),
      );
      expect(client.channel.phases().get(`conv-${encoding}`)!.rounds).toBe(2);
    });

  it('keeps the WASM heap flat over many layers (every SEAL object deleted)', async () => {
    const { server, client, f } = pair;
    expect(memories.length).toBeGreaterThan(0);
    const heap = () => memories.reduce((sum, m) => sum + m.buffer.byteLength, 0);
    const bn = { batch: 1, channels: 2, spatial: 100 };
    const conv = {
      batch: 1,
      inChannels: 2,
      height: 6,
      width: 6,
      outChannels: 2,
      kernel: [3, 3] as [number, number],
      strides: [1, 1] as [number, number],
      pads: [1, 1, 1, 1] as [number, number, number, number],
    };
    const run = async () => {
      const { x0, x1 } = shares(f, 200);
      const scale = fieldRandom(f, 2);
      await Promise.all([
        heBatchNorm(contextOf(server), bn, x0, scale),
        heBatchNorm(contextOf(client), bn, x1),
      ]);
      const w = fieldRandom(f, 36);
      await Promise.all([
        heConv2d(contextOf(server), conv, x0.subarray(0, 72), w),
        heConv2d(contextOf(client), conv, x1.subarray(0, 72)),
      ]);
    };
    for (let i = 0; i < 3; i++) await run(); // let SEAL's memory pools reach their high-water mark
    const warm = heap();
    for (let i = 0; i < 12; i++) await run();
    expect(heap()).toBe(warm);
  });
});
