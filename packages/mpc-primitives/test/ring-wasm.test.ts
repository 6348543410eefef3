import { describe, expect, it } from 'vitest';
import { checkWasm } from '../../../tools/wasm/check.js';
import { ring, ringRandom } from '../src/index.js';
import { limbKernels, wasmAvailable, wasmKernels } from '../src/kernels.js';
import { edges, fromBig } from './oracle.js';

/** The first index where two word vectors differ, or −1 (toEqual on 10^5 words is slow). */
function firstDifference(x: Uint32Array, y: Uint32Array): number {
  if (x.length !== y.length) return Math.min(x.length, y.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

// The WebAssembly kernels must equal the TypeScript limb reference word for word, including
// across chunk boundaries (2^15 elements) and on a vector that ends mid-chunk.
describe.each([33, 37, 41, 63, 64])('WASM = TS limbs at ℓ = %i', (ell) => {
  const r = ring(ell);
  const n = 2 ** 15 * 2 + 1234;
  const e = edges(ell);
  const a = ringRandom(r, n);
  const b = ringRandom(r, n);
  // Edge values against every edge value at the front.
  a.set(
    fromBig(
      r,
      e.flatMap((x) => e.map(() => x)),
    ),
  );
  b.set(
    fromBig(
      r,
      e.flatMap(() => e),
    ),
  );

  it('is available in Node', () => expect(wasmAvailable()).toBe(true));
  it('agrees on add, sub, neg, mul and mulPublic', () => {
    const run = (f: (out: Uint32Array) => void) => {
      const out = new Uint32Array(a.length);
      f(out);
      return out;
    };
    for (const k of ['add', 'sub', 'mul'] as const)
      expect(
        firstDifference(
          run((o) => wasmKernels[k](a, b, o, r.maskHi)),
          run((o) => limbKernels[k](a, b, o, r.maskHi)),
        ),
      ).toBe(-1);
    expect(
      firstDifference(
        run((o) => wasmKernels.neg(a, o, r.maskHi)),
        run((o) => limbKernels.neg(a, o, r.maskHi)),
      ),
    ).toBe(-1);
    for (const [cLo, cHi] of [
      [0, 0],
      [1, 0],
      [0xffffffff, 0xffffffff],
      [0x9e3779b9, 0x7f4a7c15],
    ] as const)
      expect(
        firstDifference(
          run((o) => wasmKernels.mulPublic(a, cLo, cHi, o, r.maskHi)),
          run((o) => limbKernels.mulPublic(a, cLo, cHi, o, r.maskHi)),
        ),
      ).toBe(-1);
  });
});

describe('the embedded module', () => {
  it('is what asm/ring.ts compiles to (no drift)', () => {
    expect(checkWasm(new URL('..', import.meta.url))).toContain('matches');
  }, 60_000);
});
