import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  cotChosenOtReceive,
  cotChosenOtSend,
  cotRandomOtReceive,
  cotRandomOtSend,
  FerretReceiver,
  FerretSender,
  IknpCotReceiver,
  IknpCotSender,
} from '../src/index.js';
import { bytesBothWays, hex, iknpPair, randomU8, randomValues, SMALL_FERRET } from './helpers.js';

describe('IKNP global-Δ COT', () => {
  it.each([1, 129, 300_000])(
    'n = %i: M = K ⊕ b·Δ with one Δ; 128·⌈count/8⌉ B per batch',
    async (n) => {
      const { sender, receiver, a } = await iknpPair();
      const before = bytesBothWays(a);
      const cs = new IknpCotSender(sender);
      const cr = new IknpCotReceiver(receiver);
      const [keys, got] = await Promise.all([cs.next(n), cr.next(n)]);
      const batch = 1 << 17;
      let want = 0;
      for (let f = 0; f < n; f += batch) want += 128 * Math.ceil(Math.min(batch, n - f) / 8);
      expect(bytesBothWays(a) - before).toBe(want);
      for (let j = 0; j < n; j++) {
        for (let x = 0; x < 16; x++) {
          if (got.macs[16 * j + x] !== (keys[16 * j + x]! ^ (got.choices[j] ? cs.delta[x]! : 0)))
            throw new Error(`COT ${j}`);
        }
      }
      if (n > 1000) {
        const ones = got.choices.reduce((s, x) => s + x, 0);
        expect(Math.abs(ones - n / 2)).toBeLessThan(3 * Math.sqrt(n));
      }
    },
  );
});

describe('OT on COT (IKNP and Ferret sources)', () => {
  const SMALL = SMALL_FERRET.main;
  const BOOT = SMALL_FERRET.bootstrap;
  const sources = {
    iknp: async () => {
      const { sender, receiver, a } = await iknpPair();
      return { s: new IknpCotSender(sender), r: new IknpCotReceiver(receiver), a };
    },
    ferret: async () => {
      const [a, b] = memoryPair();
      const opts = { main: SMALL, bootstrap: BOOT };
      const [s, r] = await Promise.all([
        FerretSender.setup(a, opts),
        FerretReceiver.setup(b, opts),
      ]);
      return { s, r, a };
    },
  };
  for (const [name, make] of Object.entries(sources)) {
    it(`${name}: random OT gives m_b with no message`, async () => {
      const { s, r, a } = await make();
      const before = bytesBothWays(a);
      const n = 5000;
      const [{ m0, m1 }, got] = await Promise.all([
        cotRandomOtSend(s, n),
        cotRandomOtReceive(r, n),
      ]);
      // Nothing beyond the COTs: Ferret's only bytes are its rounds, t·(32h + 16) each.
      if (s instanceof FerretSender) {
        expect(bytesBothWays(a) - before).toBe(s.rounds * SMALL.t * (32 * SMALL.h + 16));
      } else expect(bytesBothWays(a) - before).toBe(128 * Math.ceil(n / 8));
      for (let j = 0; j < n; j++) {
        const want = (got.choices[j] ? m1 : m0).subarray(16 * j, 16 * j + 16);
        expect(hex(got.m.subarray(16 * j, 16 * j + 16))).toBe(hex(want));
      }
    });

    it.each([1, 37, 64])(
      `${name}: chosen OT, ℓ = %i: m_c; ⌈n/8⌉ + 2·⌈nℓ/8⌉ bytes beyond the COTs`,
      async (ell) => {
        const { s, r, a } = await make();
        const n = 3001;
        const m0 = randomValues(n, ell);
        const m1 = randomValues(n, ell);
        const c = randomU8(n, 2);
        // Warm the source so the COTs below come from its buffer without a round.
        await Promise.all([s.next(1), r.next(1)]);
        const before = bytesBothWays(a);
        const [, got] = await Promise.all([
          cotChosenOtSend(s, m0, m1, ell),
          cotChosenOtReceive(r, c, ell),
        ]);
        const cotBytes = name === 'iknp' ? 128 * Math.ceil(n / 8) : 0;
        expect(bytesBothWays(a) - before).toBe(
          cotBytes + Math.ceil(n / 8) + 2 * Math.ceil((n * ell) / 8),
        );
        const wpv = ell > 32 ? 2 : 1;
        for (let j = 0; j < n; j++) {
          for (let w = 0; w < wpv; w++)
            expect(got[j * wpv + w]).toBe((c[j] ? m1 : m0)[j * wpv + w]);
        }
      },
    );
  }
});
