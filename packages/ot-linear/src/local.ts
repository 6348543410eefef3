/**
 * The linear operations that need no communication on additive shares over Z_2^ℓ: the
 * server adding its per-channel bias to its share, the sum of two shared tensors (residual
 * connections), concatenation along any axis, and multiplication by a public constant.
 */
import { type Party, ring, ringAdd, ringMulPublic, SERVER } from '@secinfer/mpc-primitives';
import { wordsPerValue } from '@secinfer/ot';
import { OtLinearError } from './errors.js';
import { checkVector, checkWeights, requireEll } from './shapes.js';

/** A shared tensor: this party's share, row-major, and its shape. */
export interface SharedTensor {
  data: Uint32Array;
  shape: readonly number[];
}

/** The layout bias is added in: [batch, channels, spatial] (spatial = OH·OW, or 1 for FC). */
export interface BiasShape {
  batch: number;
  channels: number;
  spatial: number;
}

function elements(shape: readonly number[], what: string): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0)
      throw new OtLinearError('BAD_SHAPE', `${what}: dimension ${d} is not a size`);
    n *= d;
  }
  return n;
}

/**
 * The server adds bias[m] to every element of channel m of its share; the client's share is
 * returned unchanged (copied). `bias` (channels values) is given by the server only.
 */
export function addBias(
  party: Party,
  ell: number,
  y: Uint32Array,
  shape: BiasShape,
  bias?: Uint32Array,
): Uint32Array {
  const what = 'addBias';
  requireEll(ell, what);
  const { batch, channels, spatial } = shape;
  elements([batch, channels, spatial], what);
  checkVector(y, batch * channels * spatial, ell, `${what}: y`);
  checkWeights(party === SERVER, bias, channels, ell, `${what} (bias)`);
  if (party !== SERVER) return y.slice();
  const wpv = wordsPerValue(ell);
  const b = new Uint32Array(y.length);
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < channels; m++) {
      const o = (n * channels + m) * spatial * wpv;
      for (let s = 0; s < spatial * wpv; s += wpv) {
        b[o + s] = bias![m * wpv]!;
        if (wpv === 2) b[o + s + 1] = bias![m * wpv + 1]!;
      }
    }
  }
  return ringAdd(ring(ell), y, b);
}

/** a + b mod 2^ℓ: the share of the sum of two shared tensors of the same length. */
export function addShares(ell: number, a: Uint32Array, b: Uint32Array): Uint32Array {
  requireEll(ell, 'addShares');
  const n = a.length / wordsPerValue(ell);
  checkVector(a, n, ell, 'addShares: a');
  checkVector(b, n, ell, 'addShares: b');
  return ringAdd(ring(ell), a, b);
}

/** c·x mod 2^ℓ for a public integer c (both parties scale their shares). */
export function mulPublic(ell: number, x: Uint32Array, c: number | bigint): Uint32Array {
  requireEll(ell, 'mulPublic');
  checkVector(x, x.length / wordsPerValue(ell), ell, 'mulPublic: x');
  if (typeof c === 'number' && !Number.isSafeInteger(c))
    throw new OtLinearError('BAD_SHAPE', `mulPublic: constant ${c} is not a safe integer`);
  return ringMulPublic(ring(ell), x, c);
}

/** Concatenation of shared tensors along `axis`: all other dimensions must agree. */
export function concat(ell: number, parts: readonly SharedTensor[], axis: number): SharedTensor {
  const what = 'concat';
  requireEll(ell, what);
  if (parts.length === 0) throw new OtLinearError('BAD_SHAPE', `${what}: no tensors`);
  const rank = parts[0]!.shape.length;
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank)
    throw new OtLinearError('BAD_SHAPE', `${what}: axis ${axis} outside 0..${rank - 1}`);
  const wpv = wordsPerValue(ell);
  const shape = [...parts[0]!.shape];
  shape[axis] = 0;
  parts.forEach((p, i) => {
    if (p.shape.length !== rank)
      throw new OtLinearError('BAD_SHAPE', `${what}: tensor ${i} has rank ${p.shape.length}`);
    p.shape.forEach((d, k) => {
      if (k !== axis && d !== parts[0]!.shape[k])
        throw new OtLinearError('BAD_SHAPE', `${what}: tensor ${i} differs in dimension ${k}`);
    });
    checkVector(p.data, elements(p.shape, what), ell, `${what}: tensor ${i}`);
    shape[axis]! += p.shape[axis]!;
  });
  const outer = elements(shape.slice(0, axis), what);
  const inner = elements(shape.slice(axis + 1), what) * wpv;
  const out = new Uint32Array(elements(shape, what) * wpv);
  let o = 0;
  for (let n = 0; n < outer; n++) {
    for (const p of parts) {
      const run = p.shape[axis]! * inner;
      out.set(p.data.subarray(n * run, (n + 1) * run), o);
      o += run;
    }
  }
  return { data: out, shape };
}
