import { describe, expect, it } from 'vitest';
import {
  FIELD_PRIME_32,
  FIELD_PRIME_37,
  field,
  fieldAdd,
  fieldFromRing,
  fieldFromSigned,
  fieldMul,
  fieldMulPublic,
  fieldNeg,
  fieldRandom,
  fieldSub,
  fieldToRing,
  fieldToSigned,
  ParameterError,
  ring,
} from '../src/index.js';
import { fromBig, random, toBig } from './oracle.js';

const COUNT = 4000;

/** 0, ±1, ±2, the values around n/2 and next to n, then random elements (tests: the seeded generator). */
function fieldSample(n: number): number[] {
  const h = Math.floor(n / 2);
  const out = [0, 1, 2, n - 1, n - 2, h - 1, h, h + 1, h + 2, 2 ** 19, 2 ** 26 - 1, 2 ** 26];
  for (let i = 0; i < COUNT; i++) out.push(Math.floor(random() * n));
  return out.filter((x) => x < n);
}

const big = (xs: ArrayLike<number>) => Array.from(xs, (x) => BigInt(x));

describe.each([
  ['ℓ = 32 prime', FIELD_PRIME_32],
  ['ℓ = 37 prime', FIELD_PRIME_37],
  ['largest 38-bit modulus', 2 ** 38 - 1],
  ['small prime', 65537],
])('Z_n, %s', (_name, n) => {
  const f = field(n);
  const N = BigInt(n);
  const a = fieldSample(n);
  const b = fieldSample(n).reverse().slice(0, a.length);
  const A = Float64Array.from(a);
  const B = Float64Array.from(b);
  const mod = (v: bigint) => ((v % N) + N) % N;

  it('adds, subtracts, negates and multiplies like BigInt mod n', () => {
    expect(big(fieldAdd(f, A, B))).toEqual(a.map((x, i) => mod(BigInt(x) + BigInt(b[i]!))));
    expect(big(fieldSub(f, A, B))).toEqual(a.map((x, i) => mod(BigInt(x) - BigInt(b[i]!))));
    expect(big(fieldNeg(f, A))).toEqual(a.map((x) => mod(-BigInt(x))));
    expect(big(fieldMul(f, A, B))).toEqual(a.map((x, i) => mod(BigInt(x) * BigInt(b[i]!))));
  });
  it('multiplies every pair of edge values', () => {
    const e = fieldSample(n).slice(0, 12);
    const x = e.flatMap((u) => e.map(() => u));
    const y = e.flatMap(() => e);
    const got = fieldMul(f, Float64Array.from(x), Float64Array.from(y));
    expect(big(got)).toEqual(x.map((u, i) => mod(BigInt(u) * BigInt(y[i]!))));
  });
  it('multiplies by public constants of any sign', () => {
    for (const c of [0, 1, -1, n - 1, Math.floor(n / 2), -(2 ** 53 - 1), 2 ** 53 - 1, 12345])
      expect(big(fieldMulPublic(f, A, c))).toEqual(a.map((x) => mod(BigInt(x) * BigInt(c))));
  });
  it('maps signed values: v ↦ v mod n, and x ≥ ⌈n/2⌉ back to x − n', () => {
    const h = Math.ceil(n / 2);
    expect([...fieldFromSigned(f, [0, 1, -1, 5, -5, h - 1, -(h - 1)])]).toEqual([
      0,
      1,
      n - 1,
      5,
      n - 5,
      h - 1,
      n - h + 1,
    ]);
    expect([...fieldToSigned(f, Float64Array.from([0, 1, n - 1, h - 1, h, n - 2]))]).toEqual([
      0,
      1,
      -1,
      h - 1,
      h - n,
      -2,
    ]);
    // The round trip is the identity on the field.
    expect(fieldFromSigned(f, fieldToSigned(f, A))).toEqual(A);
  });
  it('samples uniformly in [0, n) (range and a coarse histogram)', () => {
    const x = fieldRandom(f, 1 << 16);
    const buckets = new Array(8).fill(0);
    let outOfRange = 0;
    for (const v of x) {
      if (!(Number.isInteger(v) && v >= 0 && v < n)) outOfRange++;
      else buckets[Math.floor((v / n) * 8)]++;
    }
    expect(outOfRange).toBe(0);
    // 8192 expected per bucket, σ ≈ 85: 6σ bounds.
    for (const c of buckets) expect(Math.abs(c - 8192)).toBeLessThan(520);
  });
});

describe.each([
  [32, FIELD_PRIME_32],
  [37, FIELD_PRIME_37],
  [31, FIELD_PRIME_32],
  [8, FIELD_PRIME_37],
])('Z_2^%i ↔ Z_n(%i)', (ell, n) => {
  const r = ring(ell);
  const f = field(n);
  const half = 1n << BigInt(ell - 1);
  const values = [0n, 1n, -1n, -half, half - 1n, -half + 1n, 42n, -42n];
  for (let i = 0; i < 1000; i++) values.push(BigInt(Math.floor(random() * 2 ** ell)) - half);
  it('maps the signed ℓ-bit value v to v mod n and back', () => {
    const x = fromBig(r, values);
    const y = fieldFromRing(f, r, x);
    const N = BigInt(n);
    expect(big(y)).toEqual(values.map((v) => ((v % N) + N) % N));
    // Back: the centred representative (x ≥ ⌈n/2⌉ is x − n) taken mod 2^ℓ.
    const centred = (v: bigint) => {
      const x = ((v % N) + N) % N;
      return x >= (N + 1n) / 2n ? x - N : x;
    };
    expect(toBig(r, fieldToRing(f, r, y))).toEqual(
      values.map((v) => BigInt.asUintN(ell, centred(v))),
    );
  });
  it('is the identity exactly on |v| ≤ (n − 1)/2 (not at ±2^(ℓ−1) when n < 2^ℓ)', () => {
    const N = BigInt(n);
    const limit = (N - 1n) / 2n;
    const inRange = values.filter((v) => v <= limit && v >= -limit);
    const x = fromBig(r, inRange);
    expect(fieldToRing(f, r, fieldFromRing(f, r, x))).toEqual(x);
    // For the reference pairs (ℓ = 32, 37) n < 2^ℓ, so −2^(ℓ−1) and 2^(ℓ−1) − 1 do not survive.
    expect(half <= limit).toBe(ell < 32);
  });
});

describe('parameter checks', () => {
  it('rejects bad moduli and mismatched vectors', () => {
    for (const n of [0, 1, 2 ** 38, 1.5, -7]) expect(() => field(n)).toThrow(ParameterError);
    const f = field(FIELD_PRIME_37);
    expect(() => fieldAdd(f, new Float64Array(2), new Float64Array(3))).toThrow(ParameterError);
    expect(() => fieldMulPublic(f, new Float64Array(2), 2 ** 60)).toThrow(ParameterError);
    expect(() => fieldFromSigned(f, [0.5])).toThrow(ParameterError);
  });
});
