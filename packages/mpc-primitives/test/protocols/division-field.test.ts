import { describe, expect, it } from 'vitest';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../../src/field.js';
import { idealContextPair } from '../../src/ideal.js';
import { divField } from '../../src/protocols/division-field.js';

/** Cleartext oracle: floor division of x's signed view in Z_p, mapped back into Z_p. */
function divFieldClear(x: number, p: number, d: number): number {
  const signed = x > (p - 1) / 2 ? x - p : x;
  const q = Math.floor(signed / d);
  return q < 0 ? q + p : q;
}

describe('divField', () => {
  for (const p of [FIELD_PRIME_32, FIELD_PRIME_37, 65537]) {
    for (const d of [3, 49, 169]) {
      it(`equals ⌊x / ${d}⌋ (signed floor) over Z_${p}, edges and wrap-point shares included`, async () => {
        const f = field(p);
        const h = (p - 1) / 2;
        const edges = [0, 1, d - 1, d, d + 1, h - 1, h, h + 1, p - d, p - 1, p - 2];
        const x = [...fieldRandom(f, 200), ...edges, ...edges];
        const x0 = [...fieldRandom(f, 200 + edges.length), ...edges.map(() => 0)];
        for (const v of edges) {
          for (const s of [p - 1, v, d - 1]) {
            x.push(v);
            x0.push(s);
          }
        }
        const x1 = x.map((v, i) => (v - x0[i]! + p) % p);
        const [ot0, ot1] = idealContextPair();
        const [y0, y1] = await Promise.all([
          divField(ot0, Float64Array.from(x0), f, d),
          divField(ot1, Float64Array.from(x1), f, d),
        ]);
        expect([...y0.map((v, i) => (v + y1[i]!) % p)]).toEqual(
          x.map((v) => divFieldClear(v, p, d)),
        );
      });
    }
  }
});
