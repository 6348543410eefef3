/**
 * Z_2^ℓ kernels for 32 < ℓ ≤ 64 in plain TypeScript on (lo, hi) uint32 limbs — the reference
 * the WebAssembly kernels (kernels/ring-wasm.ts) are tested against, and the fallback where
 * WebAssembly is unavailable (add and sub are @secinfer/ot's, the one copy). Each writes
 * `out` (same length as the inputs, 2 words per element); the low limb is always a full 32-bit word, `maskHi` trims the high one to ℓ − 32.
 */
import { addLimbs, subLimbs } from '@secinfer/ot/kernels';

/** The shape every two-limb kernel set shares, so ring.ts can pick either implementation. */
export interface LimbKernels {
  add(a: Uint32Array, b: Uint32Array, out: Uint32Array, maskHi: number): void;
  sub(a: Uint32Array, b: Uint32Array, out: Uint32Array, maskHi: number): void;
  neg(a: Uint32Array, out: Uint32Array, maskHi: number): void;
  mul(a: Uint32Array, b: Uint32Array, out: Uint32Array, maskHi: number): void;
  mulPublic(a: Uint32Array, cLo: number, cHi: number, out: Uint32Array, maskHi: number): void;
}

/**
 * The high word of the 64-bit product of two uint32 values. Splits b into 16-bit halves so
 * every partial product is below 2^48 and exact in a double.
 */
function mulHigh32(a: number, b: number): number {
  const low = a * (b & 0xffff); // < 2^48
  const mid = a * (b >>> 16) + Math.floor(low / 65536); // < 2^48 + 2^32
  return Math.floor(mid / 65536) >>> 0;
}

export const limbKernels: LimbKernels = {
  add: addLimbs,
  sub: subLimbs,
  neg(a, out, maskHi) {
    for (let i = 0; i < a.length; i += 2) {
      const lo = a[i]!;
      out[i] = -lo >>> 0;
      // −(hi·2^32 + lo) = (−hi − [lo ≠ 0])·2^32 + (2^32 − lo)
      out[i + 1] = (-a[i + 1]! - (lo !== 0 ? 1 : 0)) & maskHi;
    }
  },
  mul(a, b, out, maskHi) {
    for (let i = 0; i < a.length; i += 2) {
      const aLo = a[i]!;
      const bLo = b[i]!;
      out[i] = Math.imul(aLo, bLo) >>> 0;
      // The high word keeps only 32 bits, so the cross terms need just their low halves.
      out[i + 1] =
        (mulHigh32(aLo, bLo) + Math.imul(aLo, b[i + 1]!) + Math.imul(a[i + 1]!, bLo)) & maskHi;
    }
  },
  mulPublic(a, cLo, cHi, out, maskHi) {
    for (let i = 0; i < a.length; i += 2) {
      const aLo = a[i]!;
      out[i] = Math.imul(aLo, cLo) >>> 0;
      out[i + 1] = (mulHigh32(aLo, cLo) + Math.imul(aLo, cHi) + Math.imul(a[i + 1]!, cLo)) & maskHi;
    }
  },
};
