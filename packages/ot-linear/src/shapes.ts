/**
 * Layer descriptions and their checks: matrix dimensions, convolution geometry (NCHW, groups
 * = 1) and the rules every protocol applies to its inputs before any I/O.
 */
import {
  type ConvLayer,
  convLayerProblem,
  convOutputSize as sharedConvOutputSize,
} from '@secinfer/mpc-primitives';
import { topWordMask, wordsPerValue } from '@secinfer/ot';
import { OtLinearError } from './errors.js';

/** W (d1 × d2, server) · X (d2 × d3, shared). */
export interface MatmulDims {
  d1: number;
  d2: number;
  d3: number;
}

export function requireEll(ell: number, what: string): void {
  if (!Number.isInteger(ell) || ell < 1 || ell > 64)
    throw new OtLinearError('BAD_WIDTH', `${what}: ℓ = ${ell} is not an integer in 1..64`);
}

function requirePositive(value: number, name: string, what: string): void {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new OtLinearError('BAD_SHAPE', `${what}: ${name} = ${value} is not a positive integer`);
}

export function checkDims(dims: MatmulDims, what: string): void {
  requirePositive(dims.d1, 'd1', what);
  requirePositive(dims.d2, 'd2', what);
  requirePositive(dims.d3, 'd3', what);
}

/** Checks a vector of `count` Z_2^ℓ elements: its length and that every value is canonical. */
export function checkVector(x: Uint32Array, count: number, ell: number, what: string): void {
  const w = wordsPerValue(ell);
  if (!(x instanceof Uint32Array) || x.length !== count * w)
    throw new OtLinearError(
      'BAD_LENGTH',
      `${what}: ${x instanceof Uint32Array ? x.length : typeof x} words, expected ${count} elements × ${w} = ${count * w}`,
    );
  const top = topWordMask(ell);
  if (top === 0xffffffff) return;
  for (let i = w - 1; i < x.length; i += w) {
    if ((x[i]! & ~top) !== 0)
      throw new OtLinearError(
        'NOT_CANONICAL',
        `${what}: element ${(i - w + 1) / w} has bits at or above ℓ = ${ell}`,
      );
  }
}

/** A chooser's element width: an integer 2..ℓ (the sign bit and at least one more). */
export function requireBits(bits: number, ell: number, what: string): void {
  if (!Number.isInteger(bits) || bits < 2 || bits > ell)
    throw new OtLinearError(
      'BAD_WIDTH',
      `${what}: weight bits ${bits} is not an integer in 2..${ell}`,
    );
}

/**
 * Checks that each of the `count` ℓ-bit elements of `a` is a signed `bits`-bit integer (its
 * bits from bits − 1 up to ℓ − 1 all equal): otherwise the narrow product would be wrong.
 */
export function checkFitsSigned(
  a: Uint32Array,
  count: number,
  ell: number,
  bits: number,
  what: string,
): void {
  if (bits === ell) return;
  const from = bits - 1;
  const wide = ell > 32;
  const maskLo = ell >= 32 ? 0xffffffff : 2 ** ell - 1;
  const maskHi = ell === 64 ? 0xffffffff : wide ? 2 ** (ell - 32) - 1 : 0;
  for (let e = 0; e < count; e++) {
    let lo = wide ? a[2 * e]! : a[e]!;
    let hi = wide ? a[2 * e + 1]! : 0;
    // Complement negative values: then bits from..ℓ−1 must all be zero.
    if ((wide ? hi / 2 ** (ell - 33) : lo / 2 ** (ell - 1)) >= 1) {
      lo = ~lo & maskLo;
      hi = ~hi & maskHi;
    }
    const fits = from < 32 ? lo >>> from === 0 && hi === 0 : hi >>> (from - 32) === 0;
    if (!fits) {
      const v = BigInt(a[wide ? 2 * e : e]!) + (wide ? BigInt(a[2 * e + 1]!) << 32n : 0n);
      throw new OtLinearError(
        'BAD_WEIGHTS',
        `${what}: weight ${e} = ${BigInt.asIntN(ell, v)} does not fit ${bits} signed bits`,
      );
    }
  }
}

/** The server must hold the weights and the client must not. */
export function checkWeights(
  isServer: boolean,
  weights: Uint32Array | undefined,
  count: number,
  ell: number,
  what: string,
): void {
  if (!isServer) {
    if (weights !== undefined)
      throw new OtLinearError('BAD_WEIGHTS', `${what}: the client passed weights`);
    return;
  }
  if (weights === undefined)
    throw new OtLinearError('BAD_WEIGHTS', `${what}: the server passed no weights`);
  checkVector(weights, count, ell, `${what}: weights`);
}

/** A checked layer's output height and width (mpc-primitives' convOutputSize); throws OtLinearError on a malformed geometry or one with no output. */
export function convOutputSize(layer: ConvLayer): [number, number] {
  const problem = convLayerProblem(layer);
  if (problem) throw new OtLinearError('BAD_SHAPE', `convOutputSize: ${problem}`);
  return sharedConvOutputSize(layer);
}
