import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../../src/ideal.js';
import { dreluField, fieldComparisonBits } from '../../src/protocols/drelu-field.js';

/** The HE backend's plaintext primes (the C++ reference's) for ℓ = 32 and ℓ = 37, and a tiny one. */
const PRIMES = [4293918721, 137352314881, 65537, 7];

/** Cleartext oracle: x is non-negative in the signed view of Z_p. */
const dreluFieldClear = (x: number, p: number) => Number(x <= (p - 1) / 2);

function randomBelow(p: number): number {
  // randomInt takes bounds below 2^48; split larger draws into a high and a low part.
  if (p <= 2 ** 47) return randomInt(p);
  for (;;) {
    const v = randomInt(2 ** 47) * 2 ** 16 + randomInt(2 ** 16);
    if (v < p) return v;
  }
}

describe('dreluField', () => {
  for (const p of PRIMES) {
    it(`equals 1{x ≤ (p−1)/2} over Z_${p}, at n/2, n−1, 0 and on random shares`, async () => {
      const h = (p - 1) / 2;
      const edges = [0, 1, 2, h - 1, h, h + 1, p - 2, p - 1].filter((v) => v >= 0 && v < p);
      const x = [...Array.from({ length: 400 }, () => randomBelow(p)), ...edges, ...edges];
      // Random server shares, plus shares chosen to hit each case: x0 = 0, h, h + 1, p − 1.
      const x0 = x.map((_, i) =>
        i % 5 === 0 ? [0, h, h + 1, p - 1][(i / 5) % 4]! : randomBelow(p),
      );
      const x1 = x.map((v, i) => (((v - x0[i]!) % p) + p) % p);
      const [s, c] = idealContextPair();
      const [d0, d1] = await Promise.all([
        dreluField(s, Float64Array.from(x0), p),
        dreluField(c, Float64Array.from(x1), p),
      ]);
      expect([...d0.map((v, i) => v ^ d1[i]!)]).toEqual(x.map((v) => dreluFieldClear(v, p)));
    });
  }

  it('compares on 33 bits for p ≈ 2^32 and 38 for p ≈ 2^37', () => {
    expect(fieldComparisonBits(4293918721)).toBe(33);
    expect(fieldComparisonBits(137352314881)).toBe(38);
  });

  it('rejects shares outside [0, p) and an even modulus before any OT', async () => {
    const [s] = idealContextPair();
    await expect(dreluField(s, Float64Array.of(7), 7)).rejects.toThrow(
      /not an integer in \[0, p\)/,
    );
    await expect(dreluField(s, Float64Array.of(1), 8)).rejects.toThrow(/odd modulus/);
  });
});
