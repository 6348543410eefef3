import { describe, expect, it } from 'vitest';
import { ParameterError } from '../../src/errors.js';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../../src/field.js';
import { idealContextPair } from '../../src/ideal.js';
import {
  truncField,
  truncFieldNonNegative,
  truncFieldSupports,
} from '../../src/protocols/truncation-field.js';

/** Cleartext oracle: ⌊x / 2^s⌋ of x's signed view in Z_p, mapped back into Z_p. */
function truncClear(x: number, p: number, s: number): number {
  const signed = x > (p - 1) / 2 ? x - p : x;
  const q = Math.floor(signed / 2 ** s);
  return q < 0 ? q + p : q;
}

/** Values and server shares that hit every case: d1 = 0, d0 + d1 ≡ 0 mod 2^s, wrap edges. */
function cases(p: number, s: number): { x: number[]; x0: number[] } {
  const f = field(p);
  const h = (p - 1) / 2;
  const m = 2 ** s;
  const edges = [0, 1, 2, m - 1, m, m + 1, 3 * m, h - m, h - 1, h, h + 1, h + m, p - m, p - 1];
  const x = [...fieldRandom(f, 300)];
  const x0 = [...fieldRandom(f, 300)];
  for (const v of edges) {
    const v0 = (v + h) % p; // the value the protocol sees after the server's offset
    for (const share of [0, 1, m - 1, m, p - 1, v0, (v0 + 1) % p, (v0 + p - 1) % p, v0 % m]) {
      x.push(v);
      x0.push(share);
    }
    // The client's share a multiple of 2^s (d1 = 0), with and without a wrap.
    for (const c of [0, m, p - 1 - ((p - 1) % m)]) {
      x.push(v);
      x0.push((v - c + p) % p);
    }
  }
  return { x, x0 };
}

describe('truncField', () => {
  for (const [p, shifts] of [
    [FIELD_PRIME_32, [1, 8, 12, 19]],
    [FIELD_PRIME_37, [1, 13, 15, 16]],
    [65537, [1, 4, 15]],
  ] as const) {
    for (const s of shifts) {
      it(`equals ⌊x / 2^${s}⌋ (signed floor) over Z_${p}, every case of the low bits and the wrap`, async () => {
        const f = field(p);
        const { x, x0 } = cases(p, s);
        const x1 = x.map((v, i) => (v - x0[i]! + p) % p);
        const [ot0, ot1] = idealContextPair();
        const [y0, y1] = await Promise.all([
          truncField(ot0, Float64Array.from(x0), f, s),
          truncField(ot1, Float64Array.from(x1), f, s),
        ]);
        expect([...y0.map((v, i) => (v + y1[i]!) % p)]).toEqual(x.map((v) => truncClear(v, p, s)));
      });
    }
  }

  for (const [p, s] of [
    [FIELD_PRIME_32, 12],
    [FIELD_PRIME_37, 15],
    [65537, 4],
  ] as const) {
    it(`truncFieldNonNegative equals ⌊x / 2^${s}⌋ over Z_${p} for x in [0, (p − 1)/2], every wrap case`, async () => {
      const f = field(p);
      const h = (p - 1) / 2;
      const m = 2 ** s;
      const x: number[] = [];
      const x0: number[] = [];
      const values = [0, 1, m - 1, m, m + 1, h - m, h - 1, h];
      for (let i = 0; i < 300; i++) values.push(Math.floor(fieldRandom(f, 1)[0]! / 2));
      // Server shares on both sides of (p − 1)/2, at the ends, and the client's d1 = 0.
      for (const v of values)
        for (const share of [
          0,
          1,
          m,
          h - 1,
          h,
          h + 1,
          p - 1,
          v,
          (v + 1) % p,
          (v - m + p) % p,
          fieldRandom(f, 1)[0]!,
        ]) {
          x.push(v);
          x0.push(share);
        }
      const x1 = x.map((v, i) => (v - x0[i]! + p) % p);
      const [ot0, ot1] = idealContextPair();
      const [y0, y1] = await Promise.all([
        truncFieldNonNegative(ot0, Float64Array.from(x0), f, s),
        truncFieldNonNegative(ot1, Float64Array.from(x1), f, s),
      ]);
      expect([...y0.map((v, i) => (v + y1[i]!) % p)]).toEqual(x.map((v) => Math.floor(v / m)));
    });
  }

  it('rejects shifts the prime does not support, naming the fallback', async () => {
    expect(truncFieldSupports(FIELD_PRIME_32, 19)).toBe(true);
    expect(truncFieldSupports(FIELD_PRIME_32, 20)).toBe(false);
    expect(truncFieldSupports(FIELD_PRIME_37, 16)).toBe(true);
    expect(truncFieldSupports(FIELD_PRIME_37, 17)).toBe(false);
    expect(truncFieldSupports(FIELD_PRIME_37, 0)).toBe(false);
    const [ot0] = idealContextPair();
    await expect(truncField(ot0, new Float64Array(4), field(FIELD_PRIME_37), 17)).rejects.toThrow(
      ParameterError,
    );
    await expect(truncField(ot0, new Float64Array(4), field(FIELD_PRIME_37), 17)).rejects.toThrow(
      /divField/,
    );
  });
});
