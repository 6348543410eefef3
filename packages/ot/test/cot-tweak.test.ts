import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  type CotSender,
  cotChosenOtReceive,
  cotChosenOtSend,
  cotRandomBitOtSend,
  cotRandomOtReceive,
  cotRandomOtSend,
  FerretReceiver,
  FerretSender,
  IknpCotReceiver,
  IknpCotSender,
} from '../src/index.js';
import { hex, iknpPair, randomU8, randomValues, SMALL_FERRET } from './helpers.js';

const SMALL = SMALL_FERRET.main;
const BOOT = SMALL_FERRET.bootstrap;

const sources = {
  iknp: async () => {
    const { sender, receiver } = await iknpPair();
    return { s: new IknpCotSender(sender), r: new IknpCotReceiver(receiver) };
  },
  ferret: async () => {
    const [a, b] = memoryPair();
    const opts = { main: SMALL, bootstrap: BOOT };
    const [s, r] = await Promise.all([FerretSender.setup(a, opts), FerretReceiver.setup(b, opts)]);
    return { s, r };
  },
};

/** A sender whose every COT key is the same block: only the tweak can tell its pads apart. */
function constantKeySender(): CotSender {
  const [channel] = memoryPair();
  const key = Uint8Array.from({ length: 16 }, (_, i) => 7 * i + 1);
  let tweak = 0;
  return {
    channel,
    delta: Uint8Array.from({ length: 16 }, (_, i) => 255 - i),
    get tweak() {
      return tweak;
    },
    next: async (n) => {
      tweak += n;
      const keys = new Uint8Array(16 * n);
      for (let j = 0; j < n; j++) keys.set(key, 16 * j);
      return keys;
    },
  };
}

describe('OTs on COT hash with the COT’s index as tweak, never reused', () => {
  for (const [name, make] of Object.entries(sources)) {
    it(`${name}: both sides' index advances by n per call, and the OTs of a second call are right`, async () => {
      const { s, r } = await make();
      const start = s.tweak;
      expect(r.tweak).toBe(start);
      const counts = [1000, 5000, 20_000];
      let at = start;
      for (const n of counts) {
        const [{ m0, m1 }, got] = await Promise.all([
          cotRandomOtSend(s, n),
          cotRandomOtReceive(r, n),
        ]);
        at += n;
        expect([s.tweak, r.tweak]).toEqual([at, at]);
        for (let j = 0; j < n; j++) {
          const want = (got.choices[j] ? m1 : m0).subarray(16 * j, 16 * j + 16);
          if (hex(got.m.subarray(16 * j, 16 * j + 16)) !== hex(want)) throw new Error(`OT ${j}`);
        }
      }
      // Chosen OT draws from the same stream and continues the count.
      const ell = 37;
      const n = 777;
      const v0 = randomValues(n, ell);
      const v1 = randomValues(n, ell);
      const c = randomU8(n, 2);
      const [, out] = await Promise.all([
        cotChosenOtSend(s, v0, v1, ell),
        cotChosenOtReceive(r, c, ell),
      ]);
      expect([s.tweak, r.tweak]).toEqual([at + n, at + n]);
      for (let j = 0; j < n; j++) {
        const want = c[j] ? v1 : v0;
        expect([out[2 * j], out[2 * j + 1]]).toEqual([want[2 * j], want[2 * j + 1]]);
      }
    });
  }

  it('identical COT keys give different pads at different indices, within and across calls', async () => {
    const cot = constantKeySender();
    const n = 64;
    const first = await cotRandomOtSend(cot, n);
    const second = await cotRandomOtSend(cot, n);
    const pads = new Set<string>();
    for (const { m0, m1 } of [first, second]) {
      for (let j = 0; j < n; j++) {
        pads.add(hex(m0.subarray(16 * j, 16 * j + 16)));
        pads.add(hex(m1.subarray(16 * j, 16 * j + 16)));
      }
    }
    expect(pads.size).toBe(4 * n);
    // Cut to 8 bits the pads still vary: an untweaked hash would give one value throughout.
    const bits = await cotRandomBitOtSend(cot, 1000, 8);
    expect(new Set(bits.m0).size).toBeGreaterThan(200);
    expect(cot.tweak).toBe(2 * n + 1000);
  });
});
