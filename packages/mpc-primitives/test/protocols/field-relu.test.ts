import { describe, expect, it } from 'vitest';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../../src/field.js';
import { idealContextPair } from '../../src/ideal.js';
import { muxField } from '../../src/protocols/mux-field.js';
import { reluField } from '../../src/protocols/relu-field.js';
import { randomBits } from '../../src/random.js';

/** Cleartext oracles over Z_n: x is negative from ⌈n/2⌉ on. */
const reluFieldClear = (x: number, n: number) => (x <= (n - 1) / 2 ? x : 0);
const muxFieldClear = (sel: number, x: number) => sel * x;

function share(x: Float64Array, n: number): [Float64Array, Float64Array] {
  const x0 = fieldRandom(field(n), x.length);
  return [x0, x.map((v, i) => (v - x0[i]! + n) % n)];
}

describe('over a prime field', () => {
  for (const n of [FIELD_PRIME_32, FIELD_PRIME_37, 65537]) {
    it(`muxField gives sel · x mod ${n}`, async () => {
      const f = field(n);
      const x = fieldRandom(f, 300);
      const sel = randomBits(300);
      const s0 = randomBits(300);
      const [x0, x1] = share(x, n);
      const [ot0, ot1] = idealContextPair();
      const [y0, y1] = await Promise.all([
        muxField(ot0, s0, x0, f),
        muxField(
          ot1,
          sel.map((v, i) => v ^ s0[i]!),
          x1,
          f,
        ),
      ]);
      expect([...y0.map((v, i) => (v + y1[i]!) % n)]).toEqual(
        [...x].map((v, i) => muxFieldClear(sel[i]!, v)),
      );
    });

    it(`reluField equals max(x, 0) in the signed view of Z_${n}, at 0, n/2 and n − 1`, async () => {
      const f = field(n);
      const h = (n - 1) / 2;
      const x = Float64Array.from([...fieldRandom(f, 300), 0, 1, h - 1, h, h + 1, n - 2, n - 1]);
      const [x0, x1] = share(x, n);
      const [ot0, ot1] = idealContextPair();
      const [y0, y1] = await Promise.all([reluField(ot0, x0, f), reluField(ot1, x1, f)]);
      expect([...y0.map((v, i) => (v + y1[i]!) % n)]).toEqual(
        [...x].map((v) => reluFieldClear(v, n)),
      );
    });
  }
});
