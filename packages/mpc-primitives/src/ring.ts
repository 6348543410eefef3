/**
 * The ring Z_2^ℓ, 1 ≤ ℓ ≤ 64, on typed arrays: the public kernels and their parameter checks.
 *
 * Layout (fixed project-wide; defined by @secinfer/ot's kernels/pack.ts, whose words per value,
 * masks, packing and two-limb add/sub this module builds on): a vector of n values is a
 * Uint32Array of n words for ℓ ≤ 32, and of 2n words for ℓ > 32, interleaved (lo, hi)
 * little-endian limbs — the memory layout of a BigUint64Array and of WASM i64 memory.
 * Values are canonical: bits ≥ ℓ are zero. Every kernel returns canonical output for
 * canonical input and allocates its result (no aliasing surprises).
 *
 * ℓ ≤ 32 runs here in TypeScript (Math.imul, int32 ops). For ℓ > 32, add/sub/neg/mul/mulPublic
 * run in WebAssembly with native i64 on this very layout (kernels/ring-wasm.ts: 1.3–2.4× the
 * TypeScript limbs for mul, 2–3.6× for add, measured), falling back to the TypeScript limb
 * kernels (ring-limbs.ts, the tested reference) where WebAssembly is unavailable. Doubles were not an option: a double holds 53 bits and
 * products of two 37-bit values need 64.
 */
import { topWordMask, wordsPerValue } from '@secinfer/ot';
import { ringAddInto, ringSubInto } from '@secinfer/ot/kernels';
import { ParameterError } from './errors.js';
import { wasmAvailable, wasmKernels } from './kernels/ring-wasm.js';
import { type LimbKernels, limbKernels } from './ring-limbs.js';

let chosen: LimbKernels | undefined;
/** The two-limb kernels in use: WebAssembly when the runtime has it, else TypeScript. */
function limbs(): LimbKernels {
  chosen ??= wasmAvailable() ? wasmKernels : limbKernels;
  return chosen;
}

/** A descriptor of Z_2^ℓ: precomputed masks and the words per element. */
export interface Ring {
  /** The bit width ℓ, 1 ≤ ℓ ≤ 64. */
  readonly ell: number;
  /** Uint32 words per element: 1 for ℓ ≤ 32, 2 for ℓ > 32. */
  readonly words: 1 | 2;
  /** The mask of the low word (all ones when ℓ ≥ 32). */
  readonly maskLo: number;
  /** The mask of the high word (0 when ℓ ≤ 32). */
  readonly maskHi: number;
}

const TWO_32 = 2 ** 32;

/** The ring Z_2^ℓ; throws ParameterError unless ℓ is an integer in 1..64. */
export function ring(ell: number): Ring {
  if (!Number.isInteger(ell) || ell < 1 || ell > 64)
    throw new ParameterError(`bit width ℓ must be an integer in 1..64, got ${ell}`);
  const top = topWordMask(ell) >>> 0;
  if (wordsPerValue(ell) === 1) return { ell, words: 1, maskLo: top, maskHi: 0 };
  return { ell, words: 2, maskLo: 0xffffffff, maskHi: top };
}

/** Checks that `x` is a vector of Z_2^ℓ (its length a multiple of the words per element). */
export function checkRingVector(r: Ring, x: Uint32Array, what = 'vector'): void {
  if (!(x instanceof Uint32Array))
    throw new ParameterError(`${what} must be a Uint32Array (Z_2^${r.ell})`);
  if (x.length % r.words !== 0)
    throw new ParameterError(
      `${what} has ${x.length} words, not a multiple of ${r.words} (ℓ = ${r.ell} uses ${r.words} words per element)`,
    );
}

function checkSameShape(r: Ring, a: Uint32Array, b: Uint32Array): void {
  checkRingVector(r, a, 'left operand');
  checkRingVector(r, b, 'right operand');
  if (a.length !== b.length)
    throw new ParameterError(`operand lengths differ: ${a.length} vs ${b.length} words`);
}

/** The number of elements in a vector of this ring. */
export function ringLength(r: Ring, x: Uint32Array): number {
  checkRingVector(r, x);
  return x.length / r.words;
}

/** A zero vector of n elements. */
export function ringZeros(r: Ring, n: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new ParameterError(`element count must be a non-negative integer, got ${n}`);
  return new Uint32Array(n * r.words);
}

/** a + b mod 2^ℓ, elementwise. */
export function ringAdd(r: Ring, a: Uint32Array, b: Uint32Array): Uint32Array {
  checkSameShape(r, a, b);
  const out = new Uint32Array(a.length);
  if (r.words === 1) ringAddInto(out, a, b, r.ell);
  else limbs().add(a, b, out, r.maskHi);
  return out;
}

/** a − b mod 2^ℓ, elementwise. */
export function ringSub(r: Ring, a: Uint32Array, b: Uint32Array): Uint32Array {
  checkSameShape(r, a, b);
  const out = new Uint32Array(a.length);
  if (r.words === 1) ringSubInto(out, a, b, r.ell);
  else limbs().sub(a, b, out, r.maskHi);
  return out;
}

/** −a mod 2^ℓ, elementwise. */
export function ringNeg(r: Ring, a: Uint32Array): Uint32Array {
  checkRingVector(r, a);
  const out = new Uint32Array(a.length);
  const { maskLo, maskHi } = r;
  if (r.words === 1) {
    for (let i = 0; i < a.length; i++) out[i] = -a[i]! & maskLo;
    return out;
  }
  limbs().neg(a, out, maskHi);
  return out;
}

/** a · b mod 2^ℓ, elementwise (both vectors, e.g. a share times a shared constant). */
export function ringMul(r: Ring, a: Uint32Array, b: Uint32Array): Uint32Array {
  checkSameShape(r, a, b);
  const out = new Uint32Array(a.length);
  const { maskLo, maskHi } = r;
  if (r.words === 1) {
    for (let i = 0; i < a.length; i++) out[i] = Math.imul(a[i]!, b[i]!) & maskLo;
    return out;
  }
  limbs().mul(a, b, out, maskHi);
  return out;
}

/** Splits a public constant (an integer in (−2^53, 2^53), or a bigint) into canonical limbs. */
function constantLimbs(r: Ring, c: number | bigint): [number, number] {
  let lo: number;
  let hi: number;
  if (typeof c === 'bigint') {
    const canonical = BigInt.asUintN(64, c); // a one-off conversion, outside any loop
    lo = Number(canonical & 0xffffffffn);
    hi = Number(canonical >> 32n);
  } else {
    if (!Number.isSafeInteger(c))
      throw new ParameterError(`public constant must be a safe integer or a bigint, got ${c}`);
    const magnitude = Math.abs(c);
    lo = magnitude >>> 0;
    hi = Math.floor(magnitude / TWO_32) >>> 0;
    if (c < 0) {
      // two's complement of (hi, lo) in 64 bits
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
      lo = -lo >>> 0;
    }
  }
  return [lo & r.maskLo, hi & r.maskHi];
}

/** c · a mod 2^ℓ for a public constant c (a safe integer, possibly negative, or a bigint). */
export function ringMulPublic(r: Ring, a: Uint32Array, c: number | bigint): Uint32Array {
  checkRingVector(r, a);
  const [cLo, cHi] = constantLimbs(r, c);
  const out = new Uint32Array(a.length);
  const { maskLo, maskHi } = r;
  if (r.words === 1) {
    for (let i = 0; i < a.length; i++) out[i] = Math.imul(a[i]!, cLo) & maskLo;
    return out;
  }
  limbs().mulPublic(a, cLo, cHi, out, maskHi);
  return out;
}

function checkShift(r: Ring, s: number): void {
  if (!Number.isInteger(s) || s < 0 || s > r.ell)
    throw new ParameterError(`shift must be an integer in 0..${r.ell}, got ${s}`);
}

/** a · 2^s mod 2^ℓ (left shift), 0 ≤ s ≤ ℓ. */
export function ringShiftLeft(r: Ring, a: Uint32Array, s: number): Uint32Array {
  checkRingVector(r, a);
  checkShift(r, s);
  const out = new Uint32Array(a.length);
  const { maskLo, maskHi } = r;
  if (s === r.ell) return out;
  if (r.words === 1) {
    for (let i = 0; i < a.length; i++) out[i] = (a[i]! << s) & maskLo;
    return out;
  }
  for (let i = 0; i < a.length; i += 2) {
    const lo = a[i]!;
    const hi = a[i + 1]!;
    if (s >= 32) {
      out[i] = 0;
      out[i + 1] = (lo << (s - 32)) & maskHi;
    } else if (s === 0) {
      out[i] = lo;
      out[i + 1] = hi;
    } else {
      out[i] = (lo << s) >>> 0;
      out[i + 1] = ((hi << s) | (lo >>> (32 - s))) & maskHi;
    }
  }
  return out;
}

/**
 * ⌊a / 2^s⌋ with a read as unsigned (logical) or as signed ℓ-bit two's complement
 * (arithmetic: the sign bit fills the top), 0 ≤ s ≤ ℓ. Local truncation, not the secure one.
 */
export function ringShiftRight(r: Ring, a: Uint32Array, s: number, signed: boolean): Uint32Array {
  checkRingVector(r, a);
  checkShift(r, s);
  const { ell, maskLo, maskHi } = r;
  const out = new Uint32Array(a.length);
  if (r.words === 1) {
    const up = 32 - ell; // lifts the sign bit to bit 31 so JS's >> extends it
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (signed) {
        const extended = (v << up) >> up;
        out[i] = (s >= 32 ? extended >> 31 : extended >> s) & maskLo;
      } else out[i] = s >= 32 ? 0 : v >>> s;
    }
    return out;
  }
  const up = 64 - ell; // bits to lift the high word so its sign lands at bit 31
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i]!;
    let hi = a[i + 1]!;
    if (signed) hi = (hi << up) >> up; // sign-extend to a full 64-bit word pair
    let k = s;
    while (k >= 32) {
      lo = hi;
      hi = signed ? hi >> 31 : 0;
      k -= 32;
    }
    if (k > 0) {
      lo = (lo >>> k) | (hi << (32 - k));
      hi = signed ? hi >> k : hi >>> k;
    }
    out[i] = lo & maskLo;
    out[i + 1] = hi & maskHi;
  }
  return out;
}

/**
 * Canonical ring elements from signed integers: v ↦ v mod 2^ℓ. Accepts safe integers
 * (|v| < 2^53); values outside [−2^(ℓ−1), 2^ℓ) are reduced, as the ring does.
 */
export function ringFromSigned(r: Ring, values: ArrayLike<number>): Uint32Array {
  for (let i = 0; i < values.length; i++)
    if (!Number.isSafeInteger(values[i]))
      throw new ParameterError(`value ${values[i]} at index ${i} is not a safe integer`);
  const out = new Uint32Array(values.length * r.words);
  const { maskLo, maskHi } = r;
  if (r.words === 1) {
    // v mod 2^32 by ToUint32 is exact for every safe integer, negatives included.
    for (let i = 0; i < values.length; i++) out[i] = values[i]! & maskLo;
    return out;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const hi = Math.floor(v / TWO_32); // exact: floor division of a safe integer by 2^32
    out[2 * i] = (v - hi * TWO_32) >>> 0;
    out[2 * i + 1] = hi & maskHi;
  }
  return out;
}

/** Canonical ring elements from unsigned integers in [0, 2^ℓ) (safe integers only). */
export function ringFromUnsigned(r: Ring, values: ArrayLike<number>): Uint32Array {
  const limit = 2 ** r.ell;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isSafeInteger(v) || v < 0 || v >= limit)
      throw new ParameterError(`value ${v} at index ${i} is not an integer in [0, 2^${r.ell})`);
  }
  return ringFromSigned(r, values);
}

function checkFitsDouble(r: Ring): void {
  if (r.ell > 53)
    throw new ParameterError(
      `ℓ = ${r.ell} does not fit a double exactly; use ringSignExtend64 and a BigInt64Array view`,
    );
}

/** The unsigned value of each element as a double (exact; requires ℓ ≤ 53). */
export function ringToUnsigned(r: Ring, a: Uint32Array): Float64Array {
  checkRingVector(r, a);
  checkFitsDouble(r);
  const n = a.length / r.words;
  const out = new Float64Array(n);
  if (r.words === 1) for (let i = 0; i < n; i++) out[i] = a[i]!;
  else for (let i = 0; i < n; i++) out[i] = a[2 * i + 1]! * TWO_32 + a[2 * i]!;
  return out;
}

/** The signed (two's complement ℓ-bit) value of each element as a double (requires ℓ ≤ 53). */
export function ringToSigned(r: Ring, a: Uint32Array): Float64Array {
  const out = ringToUnsigned(r, a);
  const half = 2 ** (r.ell - 1);
  const modulus = 2 ** r.ell;
  for (let i = 0; i < out.length; i++) if (out[i]! >= half) out[i]! -= modulus;
  return out;
}

/**
 * Each element sign-extended from ℓ to 64 bits, as (lo, hi) limbs: view the result's buffer
 * as a BigInt64Array for the signed value at any ℓ (tests, printing), or as 64-bit words.
 */
export function ringSignExtend64(r: Ring, a: Uint32Array): Uint32Array {
  checkRingVector(r, a);
  const n = a.length / r.words;
  const out = new Uint32Array(2 * n);
  const { ell } = r;
  if (r.words === 1) {
    const up = 32 - ell;
    for (let i = 0; i < n; i++) {
      const v = (a[i]! << up) >> up;
      out[2 * i] = v;
      out[2 * i + 1] = v >> 31;
    }
    return out;
  }
  const up = 64 - ell;
  for (let i = 0; i < n; i++) {
    out[2 * i] = a[2 * i]!;
    out[2 * i + 1] = (a[2 * i + 1]! << up) >> up;
  }
  return out;
}
