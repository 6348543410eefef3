import { describe, expect, it } from 'vitest';
import { IknpCotReceiver, IknpCotSender } from '../src/index.js';
import { bytesBothWays, iknpPair } from './helpers.js';

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
