import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../../src/ideal.js';
import { b2a } from '../../src/protocols/b2a.js';
import { mux } from '../../src/protocols/mux.js';
import { reluRing } from '../../src/protocols/relu-ring.js';
import { ringNegateWhere } from '../../src/protocols/ring-extras.js';
import { randomBits } from '../../src/random.js';
import { ring } from '../../src/ring.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

const ELLS = [1, 2, 8, 31, 32, 33, 37, 41, 64];
const reconstruct = (a: Uint32Array, b: Uint32Array, ell: number) =>
  fromLayout(a, ell).map((v, i) => BigInt.asUintN(ell, v + fromLayout(b, ell)[i]!));

/** Cleartext oracles with the secure functions' semantics, on unsigned ℓ-bit encodings. */
const muxClear = (sel: Uint8Array, x: bigint[]) => x.map((v, i) => (sel[i] ? v : 0n));
const reluRingClear = (x: bigint[], ell: number) =>
  x.map((v) => (BigInt.asIntN(ell, v) >= 0n ? v : 0n));

function signedEdges(ell: number): bigint[] {
  const half = 1n << BigInt(ell - 1);
  return [0n, 1n, -1n, -half, half - 1n, 2n, -2n].map((v) => BigInt.asUintN(ell, v));
}

describe('ring-extras', () => {
  for (const ell of ELLS) {
    it(`negates where the bit is set, mod 2^${ell}, like BigInt`, () => {
      const a = [...randomValues(200, ell), ...signedEdges(ell)];
      const bits = randomBits(a.length);
      expect(fromLayout(ringNegateWhere(ring(ell), toLayout(a, ell), bits), ell)).toEqual(
        a.map((v, i) => BigInt.asUintN(ell, bits[i] ? -v : v)),
      );
    });
  }
});

describe('b2a', () => {
  for (const ell of ELLS) {
    it(`turns XOR-shared bits into additive shares mod 2^${ell}`, async () => {
      const bits = randomBits(500);
      const b0 = randomBits(500);
      const b1 = bits.map((v, i) => v ^ b0[i]!);
      const [s, c] = idealContextPair();
      const [y0, y1] = await Promise.all([b2a(s, b0, ell), b2a(c, b1, ell)]);
      expect(reconstruct(y0, y1, ell)).toEqual([...bits].map(BigInt));
    });
  }
});

describe('mux', () => {
  for (const ell of ELLS) {
    it(`gives sel · x mod 2^${ell}`, async () => {
      const x = [...randomValues(300, ell), ...signedEdges(ell)];
      const sel = randomBits(x.length);
      const s0 = randomBits(x.length);
      const [x0, x1] = additiveShares(x, ell);
      const [s, c] = idealContextPair();
      const [y0, y1] = await Promise.all([
        mux(s, s0, toLayout(x0, ell), ell),
        mux(
          c,
          sel.map((v, i) => v ^ s0[i]!),
          toLayout(x1, ell),
          ell,
        ),
      ]);
      expect(reconstruct(y0, y1, ell)).toEqual(muxClear(sel, x));
    });
  }

  it('rejects a selection vector of the wrong length before any OT', async () => {
    const [s] = idealContextPair();
    await expect(mux(s, new Uint8Array(3), new Uint32Array(4), 32)).rejects.toThrow(
      /3 selection bits for 4 values/,
    );
  });
});

describe('reluRing', () => {
  for (const ell of [2, 8, 31, 32, 33, 37, 41, 64]) {
    it(`equals max(x, 0) on signed ${ell}-bit values, edges included`, async () => {
      const x = [...randomValues(300, ell), ...signedEdges(ell)];
      const [x0, x1] = additiveShares(x, ell);
      const [s, c] = idealContextPair();
      const [y0, y1] = await Promise.all([
        reluRing(s, toLayout(x0, ell), ell),
        reluRing(c, toLayout(x1, ell), ell),
      ]);
      expect(reconstruct(y0, y1, ell)).toEqual(reluRingClear(x, ell));
    });
  }
});
