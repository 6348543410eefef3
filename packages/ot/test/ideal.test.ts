import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { idealCotPair } from '../src/ideal.js';
import {
  type CotReceiver,
  type CotSender,
  cotChosenOtReceive,
  cotChosenOtSend,
  cotRandomOtReceive,
  cotRandomOtSend,
  OtError,
} from '../src/index.js';
import { bytesBothWays, hex, randomU8, randomValues } from './helpers.js';

/** Index of the first COT j with M_j ≠ K_j ⊕ b_j·Δ, or −1. */
function firstBrokenCorrelation(
  keys: Uint8Array,
  choices: Uint8Array,
  macs: Uint8Array,
  delta: Uint8Array,
): number {
  for (let j = 0; j < choices.length; j++) {
    for (let x = 0; x < 16; x++) {
      if (macs[16 * j + x] !== (keys[16 * j + x]! ^ (choices[j] ? delta[x]! : 0))) return j;
    }
  }
  return -1;
}

describe('idealCotPair', () => {
  it('M = K ⊕ b·Δ over several next(n) calls, with one Δ and no bytes moved', async () => {
    const [a, b] = memoryPair();
    const [s, r] = idealCotPair([a, b]);
    const delta = s.delta.slice();
    expect(delta.some((x) => x !== 0)).toBe(true);
    for (const n of [1, 100, 0, 4097]) {
      const [keys, got] = await Promise.all([s.next(n), r.next(n)]);
      expect(keys.length).toBe(16 * n);
      expect(got.macs.length).toBe(16 * n);
      expect(got.choices.every((c) => c === 0 || c === 1)).toBe(true);
      expect(hex(s.delta)).toBe(hex(delta));
      expect(firstBrokenCorrelation(keys, got.choices, got.macs, delta)).toBe(-1);
    }
    expect(bytesBothWays(a)).toBe(0);
  });

  it('whichever party asks first, the two sides get the same batch', async () => {
    const [s, r] = idealCotPair();
    const got = await r.next(50);
    const keys = await s.next(50);
    expect(firstBrokenCorrelation(keys, got.choices, got.macs, s.delta)).toBe(-1);
    const keys2 = await s.next(7);
    const got2 = await r.next(7);
    expect(firstBrokenCorrelation(keys2, got2.choices, got2.macs, s.delta)).toBe(-1);
    expect(hex(keys2)).not.toBe(hex(keys.subarray(0, 16 * 7)));
  });

  it('is the subpath entry @secinfer/ot/ideal', async () => {
    const entry = await import('@secinfer/ot/ideal');
    expect(entry.idealCotPair).toBe(idealCotPair);
    expect(Object.keys(entry)).toEqual(['idealCotPair']);
  });

  it('two pairs draw different Δ', () => {
    expect(hex(idealCotPair()[0].delta)).not.toBe(hex(idealCotPair()[0].delta));
  });

  it('choice bits are uniform (within 4σ over 2^16 COTs)', async () => {
    const [s, r] = idealCotPair();
    const n = 1 << 16;
    const [, got] = await Promise.all([s.next(n), r.next(n)]);
    const ones = got.choices.reduce((sum, c) => sum + c, 0);
    expect(Math.abs(ones - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));
  });

  it('the two parties asking for different n is a PARAMETER_MISMATCH', async () => {
    const [s, r] = idealCotPair();
    await s.next(10);
    await expect(r.next(11)).rejects.toSatisfy(
      (e) => e instanceof OtError && e.code === 'PARAMETER_MISMATCH',
    );
  });

  it('random OT on the ideal pair gives m_b with no message', async () => {
    const [a, b] = memoryPair();
    const [s, r]: [CotSender, CotReceiver] = idealCotPair([a, b]);
    const n = 3000;
    const [{ m0, m1 }, got] = await Promise.all([cotRandomOtSend(s, n), cotRandomOtReceive(r, n)]);
    expect(bytesBothWays(a)).toBe(0);
    for (let j = 0; j < n; j++) {
      const want = (got.choices[j] ? m1 : m0).subarray(16 * j, 16 * j + 16);
      expect(hex(got.m.subarray(16 * j, 16 * j + 16))).toBe(hex(want));
    }
  });

  it.each([1, 37, 64])(
    'chosen OT on the ideal pair, ℓ = %i: m_c; exactly ⌈n/8⌉ + 2·⌈nℓ/8⌉ bytes',
    async (ell) => {
      const [a, b] = memoryPair();
      const [s, r] = idealCotPair([a, b]);
      const n = 1001;
      const m0 = randomValues(n, ell);
      const m1 = randomValues(n, ell);
      const c = randomU8(n, 2);
      const [, got] = await Promise.all([
        cotChosenOtSend(s, m0, m1, ell),
        cotChosenOtReceive(r, c, ell),
      ]);
      expect(bytesBothWays(a)).toBe(Math.ceil(n / 8) + 2 * Math.ceil((n * ell) / 8));
      const wpv = ell > 32 ? 2 : 1;
      for (let j = 0; j < n; j++) {
        for (let w = 0; w < wpv; w++) {
          expect(got[j * wpv + w]).toBe((c[j] ? m1 : m0)[j * wpv + w]);
        }
      }
    },
  );
});
