import { describe, expect, it } from 'vitest';
import {
  ParameterError,
  ring,
  ringAdd,
  ringFromSigned,
  ringFromUnsigned,
  ringMul,
  ringMulPublic,
  ringNeg,
  ringShiftLeft,
  ringShiftRight,
  ringSignExtend64,
  ringSub,
  ringToSigned,
  ringToUnsigned,
} from '../src/index.js';
import { ELLS, edges, fromBig, sample, signed, toBig } from './oracle.js';

const COUNT = 2000;

/** Every pair of edge values, then random pairs. */
function operands(ell: number): [bigint[], bigint[]] {
  const e = edges(ell);
  const a: bigint[] = [];
  const b: bigint[] = [];
  for (const x of e)
    for (const y of e) {
      a.push(x);
      b.push(y);
    }
  const ra = sample(ell, COUNT);
  const rb = sample(ell, COUNT).reverse();
  return [a.concat(ra), b.concat(rb.slice(0, ra.length))];
}

describe.each(ELLS)('Z_2^%i', (ell) => {
  const r = ring(ell);
  const [a, b] = operands(ell);
  const A = fromBig(r, a);
  const B = fromBig(r, b);
  const mod = (v: bigint) => BigInt.asUintN(ell, v);

  it('has the layout: 1 word per element up to 32 bits, 2 above', () => {
    expect(A.length).toBe(a.length * (ell <= 32 ? 1 : 2));
  });
  it('adds, subtracts, negates and multiplies like BigInt mod 2^ℓ', () => {
    expect(toBig(r, ringAdd(r, A, B))).toEqual(a.map((x, i) => mod(x + b[i]!)));
    expect(toBig(r, ringSub(r, A, B))).toEqual(a.map((x, i) => mod(x - b[i]!)));
    expect(toBig(r, ringNeg(r, A))).toEqual(a.map((x) => mod(-x)));
    expect(toBig(r, ringMul(r, A, B))).toEqual(a.map((x, i) => mod(mod(x) * mod(b[i]!))));
  });
  it('multiplies by public constants (numbers of any sign and bigints)', () => {
    const constants = [
      0,
      1,
      -1,
      3,
      -7,
      2 ** 31,
      -(2 ** 31),
      2 ** 32 + 5,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
    ];
    for (const c of constants)
      expect(toBig(r, ringMulPublic(r, A, c))).toEqual(a.map((x) => mod(mod(x) * BigInt(c))));
    for (const c of [-(2n ** 63n), 2n ** 64n - 1n, 0x123456789abcdefn])
      expect(toBig(r, ringMulPublic(r, A, c))).toEqual(a.map((x) => mod(mod(x) * c)));
  });
  it('shifts left, right logically and right arithmetically for every shift 0..ℓ', () => {
    for (let s = 0; s <= ell; s++) {
      const k = BigInt(s);
      expect(toBig(r, ringShiftLeft(r, A, s))).toEqual(a.map((x) => mod(x << k)));
      expect(toBig(r, ringShiftRight(r, A, s, false))).toEqual(a.map((x) => mod(x) >> k));
      expect(toBig(r, ringShiftRight(r, A, s, true))).toEqual(
        a.map((x) => mod(signed(ell, mod(x)) >> k)),
      );
    }
  });
  it('sign-extends to 64 bits (viewable as BigInt64Array)', () => {
    const view = new BigInt64Array(ringSignExtend64(r, A).buffer);
    expect([...view]).toEqual(a.map((x) => signed(ell, mod(x))));
  });
  it.runIf(ell <= 53)('converts signed and unsigned numbers both ways', () => {
    const s = a.map((x) => Number(signed(ell, mod(x))));
    expect(ringFromSigned(r, s)).toEqual(A);
    expect([...ringToSigned(r, A)]).toEqual(s);
    const u = a.map((x) => Number(mod(x)));
    expect(ringFromUnsigned(r, u)).toEqual(A);
    expect([...ringToUnsigned(r, A)]).toEqual(u);
  });
  it('reduces out-of-range safe integers in ringFromSigned', () => {
    const values = [2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 40 + 3, -(2 ** 40) - 3, -1, 0];
    expect(toBig(r, ringFromSigned(r, values))).toEqual(values.map((v) => mod(BigInt(v))));
  });
});

describe('parameter checks', () => {
  it('rejects bad ℓ', () => {
    for (const ell of [0, 65, -1, 1.5, Number.NaN]) expect(() => ring(ell)).toThrow(ParameterError);
    expect(() => ring(65)).toThrow(expect.objectContaining({ code: 'BAD_PARAMETER' }));
  });
  it('rejects mismatched and odd-length vectors, bad shifts and constants', () => {
    const r = ring(37);
    expect(() => ringAdd(r, new Uint32Array(4), new Uint32Array(6))).toThrow(ParameterError);
    expect(() => ringNeg(r, new Uint32Array(3))).toThrow(ParameterError);
    expect(() => ringShiftLeft(r, new Uint32Array(2), 38)).toThrow(ParameterError);
    expect(() => ringMulPublic(r, new Uint32Array(2), 0.5)).toThrow(ParameterError);
    expect(() => ringToSigned(ring(54), new Uint32Array(2))).toThrow(ParameterError);
    expect(() => ringFromUnsigned(ring(8), [256])).toThrow(ParameterError);
    expect(() => ringFromSigned(ring(8), [2 ** 53])).toThrow(ParameterError);
  });
});
