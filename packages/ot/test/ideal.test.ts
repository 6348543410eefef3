import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  idealCorrelatedPair,
  idealCotPair,
  idealOneOfNPair,
  idealRandomBitOtPair,
} from '../src/ideal.js';
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
    expect(Object.keys(entry).sort()).toEqual([
      'idealCorrelatedPair',
      'idealCotPair',
      'idealOneOfNPair',
      'idealRandomBitOtPair',
    ]);
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

describe('ideal OTs on COT', () => {
  it('1-out-of-N hands the receiver m_c; mismatched calls reject with PARAMETER_MISMATCH', async () => {
    const [s, r] = idealOneOfNPair();
    const messages = randomU8(50 * 16, 4);
    const c = randomU8(50, 16);
    const [, got] = await Promise.all([s.send(messages, 4, 2), r.receive(c, 4, 2)]);
    for (let i = 0; i < 50; i++) expect(got[i]).toBe(messages[16 * i + c[i]!]);
    const bad = await Promise.allSettled([s.send(messages, 4, 2), r.receive(c, 4, 3)]);
    for (const b of bad)
      expect(b.status === 'rejected' && b.reason.code).toBe('PARAMETER_MISMATCH');
    await expect(r.receive(Uint8Array.of(16), 4, 2)).rejects.toBeInstanceOf(OtError);
  });

  it.each([1, 32, 33, 64])('correlated over Z_2^%i: m0 + c·δ', async (ell) => {
    const [s, r] = idealCorrelatedPair();
    const n = 40;
    const deltas = randomValues(n, ell);
    const c = randomU8(n, 2);
    const [m0, got] = await Promise.all([s.send(deltas, ell), r.receive(c, ell)]);
    const wide = ell > 32;
    const mod = 1n << BigInt(ell);
    const v = (a: Uint32Array, j: number) =>
      wide ? BigInt(a[2 * j]!) + (BigInt(a[2 * j + 1]!) << 32n) : BigInt(a[j]!);
    for (let j = 0; j < n; j++) {
      expect(v(m0, j)).toBeLessThan(mod);
      expect(v(got, j)).toBe((v(m0, j) + BigInt(c[j]!) * v(deltas, j)) % mod);
    }
  });

  it('random bit OT: m = m_b', async () => {
    const [s, r] = idealRandomBitOtPair();
    const [{ m0, m1 }, { choices, m }] = await Promise.all([s.next(1000), r.next(1000)]);
    for (let j = 0; j < 1000; j++) expect(m[j]).toBe(choices[j] ? m1[j] : m0[j]);
  });
});
