/**
 * The SERVER on two worker threads (each its own SEAL instance): the same exact result and the
 * same bytes as on one thread, in the field and in the ring (whose workers make their own
 * encryptions of zero from the public key's residues).
 */
import {
  CLIENT,
  field,
  ring,
  ringAdd,
  ringRandom,
  ringToUnsigned,
  SERVER,
} from '@secinfer/mpc-primitives';
import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { conv2dField } from '../src/cleartext.js';
import { HeShapeError } from '../src/errors.js';
import { heParamsFor, ringHeParamsFor } from '../src/params.js';
import { heConv2d } from '../src/protocols/conv.js';
import { heConv2dRing } from '../src/protocols/ring.js';
import { conv2dRing } from '../src/ring-cleartext.js';
import { HeSession } from '../src/session.js';
import { contextOf, convLayer, reconstruct, setupPair, shares } from './helpers.js';

describe('worker threads', () => {
  it('a conv whose outputs are spread over 2 workers is exact', async () => {
    const [a, b] = memoryPair();
    const params = heParamsFor(37);
    const [server, client] = await Promise.all([
      HeSession.setup(SERVER, a, params, { threads: 2 }),
      HeSession.setup(CLIENT, b, params),
    ]);
    try {
      expect([server.usesWorkers, server.workersStarted]).toEqual([true, false]);
      const f = field(params.plainModulus);
      const layer = {
        batch: 2,
        inChannels: 3,
        height: 8,
        width: 8,
        outChannels: 5,
        kernel: [3, 3] as [number, number],
        strides: [2, 2] as [number, number],
        pads: [1, 1, 1, 1] as [number, number, number, number],
      };
      const { x, x0, x1 } = shares(f, 2 * 3 * 8 * 8);
      const w = shares(f, 5 * 3 * 9).x;
      const [y0, y1] = await Promise.all([
        heConv2d(contextOf(server), layer, x0, w),
        heConv2d(contextOf(client), layer, x1),
      ]);
      expect(reconstruct(f, y0, y1)).toEqual(conv2dField(f, layer, x, w));
      expect(client.lastLayer!.outputCiphertexts).toBe(2);
      expect(server.workersStarted).toBe(true);
    } finally {
      server.dispose();
      client.dispose();
    }
  });
});

describe('worker threads, ring', () => {
  it('a conv over Z_2^32 whose outputs are spread over 2 workers is exact', async () => {
    const { server, client } = await setupPair(ringHeParamsFor(32, { weightBits: 8 }), {
      threads: 2,
    });
    try {
      const r = ring(32);
      const layer = convLayer(3, 32, 32, 16, [3, 3], [1, 1], [1, 1, 1, 1]);
      const [x0, x1] = [ringRandom(r, 3 * 1024), ringRandom(r, 3 * 1024)];
      const w = ringRandom(ring(8), 16 * 3 * 9).map((v) => (v >= 128 ? (v - 256) >>> 0 : v));
      const [y0, y1] = await Promise.all([
        heConv2dRing(contextOf(server), layer, x0, w),
        heConv2dRing(contextOf(client), layer, x1),
      ]);
      const x = ringToUnsigned(r, ringAdd(r, x0, x1));
      expect(ringToUnsigned(r, ringAdd(r, y0, y1))).toEqual(
        conv2dRing(2 ** 32, layer, x, ringToUnsigned(r, w)),
      );
      expect(client.lastLayer!.outputCiphertexts).toBeGreaterThan(1);
      expect(server.workersStarted).toBe(true);
    } finally {
      server.dispose();
      client.dispose();
    }
  });
});

describe('worker threads in a browser build', () => {
  it('the browser pool refuses to start with a typed error, naming the thread count', async () => {
    const { WorkerPool } = await import('../src/pool-browser.js');
    const start = WorkerPool.start(2, { params: heParamsFor(37), publicKey: new Uint8Array() });
    await expect(start).rejects.toThrow(HeShapeError);
    await expect(start).rejects.toThrow(/threads = 2 needs Node's worker threads/);
  });
});
