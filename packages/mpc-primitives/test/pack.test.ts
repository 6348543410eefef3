import { describe, expect, it } from 'vitest';
import {
  FIELD_PRIME_37,
  field,
  fieldPack,
  fieldUnpack,
  ParameterError,
  packBits,
  packedBytes,
  ring,
  ringPack,
  ringUnpack,
  unpackBits,
} from '../src/index.js';
import { ELLS, fromBig, random, sample, toBig } from './oracle.js';

const canonical = (ell: number, xs: bigint[]) => xs.map((v) => BigInt.asUintN(ell, v));

/** The wire format, bit by bit: element i's bit j is stream bit iℓ + j, LSB-first in bytes. */
function packOracle(ell: number, values: bigint[]): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * ell) / 8));
  values.forEach((v, i) => {
    for (let j = 0; j < ell; j++)
      if ((v >> BigInt(j)) & 1n) out[(i * ell + j) >> 3]! |= 1 << ((i * ell + j) & 7);
  });
  return out;
}

describe.each([...ELLS, 2, 3, 7, 13, 16, 24, 40, 48, 56])('pack at ℓ = %i', (ell) => {
  const r = ring(ell);
  it('matches the bit-stream oracle and round-trips, for every length 0..40 and a long one', () => {
    for (const count of [...Array.from({ length: 41 }, (_, i) => i), 1001]) {
      const values = canonical(ell, sample(ell, count).slice(0, count));
      const x = fromBig(r, values);
      const packed = ringPack(r, x);
      expect(packed.length).toBe(packedBytes(count, ell));
      expect(packed).toEqual(packOracle(ell, values));
      expect(toBig(r, ringUnpack(r, packed, count))).toEqual(values);
    }
  });
  it('unpacks from an unaligned view', () => {
    const values = canonical(ell, sample(ell, 37));
    const packed = ringPack(r, fromBig(r, values));
    const shifted = new Uint8Array(packed.length + 1);
    shifted.set(packed, 1);
    expect(toBig(r, ringUnpack(r, shifted.subarray(1), values.length))).toEqual(values);
  });
});

describe('pack parameter checks', () => {
  it('rejects wrong lengths and non-zero padding', () => {
    const r = ring(37);
    expect(() => ringUnpack(r, new Uint8Array(5), 2)).toThrow(ParameterError);
    expect(() => ringUnpack(r, new Uint8Array(10), 1)).toThrow(ParameterError);
    const padded = new Uint8Array(5);
    padded[4] = 0x20; // bit 37 of a single 37-bit element
    expect(() => ringUnpack(r, padded, 1)).toThrow(ParameterError);
    expect(() => ringPack(r, new Uint32Array(3))).toThrow(ParameterError);
  });
});

describe('bits', () => {
  it('packs one bit per element, LSB first, and round-trips', () => {
    for (const count of [0, 1, 7, 8, 9, 63, 64, 65, 1000]) {
      const bits = Uint8Array.from({ length: count }, () => (random() < 0.5 ? 1 : 0));
      const packed = packBits(bits);
      expect(packed.length).toBe(Math.ceil(count / 8));
      for (let i = 0; i < count; i++) expect((packed[i >> 3]! >> (i & 7)) & 1).toBe(bits[i]);
      expect(unpackBits(packed, count)).toEqual(bits);
    }
  });
  it('rejects wrong lengths and non-zero padding', () => {
    expect(() => unpackBits(new Uint8Array(2), 7)).toThrow(ParameterError);
    expect(() => unpackBits(Uint8Array.of(0x80), 7)).toThrow(ParameterError);
  });
});

describe('field pack', () => {
  it('round-trips at 37 bits per element and rejects elements ≥ n', () => {
    const f = field(FIELD_PRIME_37);
    const x = Float64Array.from([0, 1, f.n - 1, 2 ** 36, 12345678901]);
    const packed = fieldPack(f, x);
    expect(packed.length).toBe(Math.ceil((5 * 37) / 8));
    expect(fieldUnpack(f, packed, 5)).toEqual(x);
    const bad = fieldPack(field(2 ** 37 - 1), Float64Array.of(f.n)); // n itself, at 37 bits
    expect(() => fieldUnpack(f, bad, 1)).toThrow(ParameterError);
  });
});
