// The constant-time rows against their definitions, for every one of the 64 sender states.
import { describe, expect, it } from 'vitest';
import { writeLeafRow, writeTripleRow } from '../../src/protocols/message-rows.js';

const row = (write: (out: Uint32Array) => void) => {
  const out = new Uint32Array(4);
  write(out);
  return [...new Uint8Array(out.buffer)];
};

describe('OT message rows', () => {
  it('leaf row k = ((x > k) ⊕ gt0) << 1 | ((x = k) ⊕ eq0) for every x < 16, gt0, eq0', () => {
    for (let x = 0; x < 16; x++)
      for (const g of [0, 1])
        for (const e of [0, 1]) {
          const want = Array.from(
            { length: 16 },
            (_, k) => ((Number(x > k) ^ g) << 1) | (Number(x === k) ^ e),
          );
          expect(row((out) => writeLeafRow(out, 0, x, g, e))).toEqual(want);
        }
  });

  it('triple row j = ((a0 ⊕ a1)(b0 ⊕ b1) ⊕ c0) | ((a0′ ⊕ a1′)(b0′ ⊕ b1′) ⊕ c0′) << 1, all 64 states', () => {
    for (let s = 0; s < 64; s++) {
      const bit = (i: number) => (s >>> i) & 1;
      const want = Array.from({ length: 16 }, (_, j) => {
        const jb = (i: number) => (j >>> i) & 1;
        const low = ((bit(0) ^ jb(0)) & (bit(1) ^ jb(1))) ^ bit(2);
        const high = ((bit(3) ^ jb(2)) & (bit(4) ^ jb(3))) ^ bit(5);
        return low | (high << 1);
      });
      const got = row((out) =>
        writeTripleRow(out, 0, [bit(0), bit(1), bit(2)], [bit(3), bit(4), bit(5)]),
      );
      expect(got).toEqual(want);
    }
  });

  it('writes OT ot at words 4·ot … 4·ot + 3 only', () => {
    const out = new Uint32Array(12);
    writeLeafRow(out, 1, 7, 1, 0);
    expect([...out.subarray(0, 4), ...out.subarray(8)]).toEqual(new Array(8).fill(0));
    expect(out.subarray(4, 8).some((w) => w !== 0)).toBe(true);
  });
});
