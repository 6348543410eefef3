/**
 * Local matrix kernels on the Z_2^ℓ layout (one word per element for ℓ ≤ 32, (lo, hi) words
 * above): transposition, the plaintext-by-share product W·X0 that the server computes on its
 * own, and im2col, which turns a convolution into that product. Pure and synchronous.
 */
import type { ConvLayer } from '@secinfer/mpc-primitives';

/** A rows × cols matrix of `wpv`-word elements, transposed to cols × rows. */
export function transpose(x: Uint32Array, rows: number, cols: number, wpv: 1 | 2): Uint32Array {
  const out = new Uint32Array(x.length);
  if (wpv === 1) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c]!;
    }
    return out;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[2 * (c * rows + r)] = x[2 * (r * cols + c)]!;
      out[2 * (c * rows + r) + 1] = x[2 * (r * cols + c) + 1]!;
    }
  }
  return out;
}

/** The high 32 bits of the 64-bit product of two unsigned 32-bit words (16-bit halves). */
function mulHi32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** W (d1 × d2) · X (d2 × d3) mod 2^ℓ, row-major, in i-k-j order (X and the output stream). */
export function localMatmul(
  w: Uint32Array,
  x: Uint32Array,
  d1: number,
  d2: number,
  d3: number,
  ell: number,
): Uint32Array {
  if (ell <= 32) {
    const acc = new Int32Array(d1 * d3);
    for (let i = 0; i < d1; i++) {
      const o = i * d3;
      for (let k = 0; k < d2; k++) {
        const wik = w[i * d2 + k]! | 0;
        const xr = k * d3;
        for (let j = 0; j < d3; j++) acc[o + j] = (acc[o + j]! + Math.imul(wik, x[xr + j]!)) | 0;
      }
    }
    const mask = ell === 32 ? -1 : (1 << ell) - 1;
    const out = new Uint32Array(d1 * d3);
    for (let i = 0; i < out.length; i++) out[i] = acc[i]! & mask;
    return out;
  }
  const out = new Uint32Array(2 * d1 * d3);
  for (let i = 0; i < d1; i++) {
    const o = 2 * i * d3;
    for (let k = 0; k < d2; k++) {
      const wLo = w[2 * (i * d2 + k)]!;
      const wHi = w[2 * (i * d2 + k) + 1]!;
      const xr = 2 * k * d3;
      for (let j = 0; j < 2 * d3; j += 2) {
        const xLo = x[xr + j]!;
        const hi = mulHi32(wLo, xLo) + Math.imul(wLo, x[xr + j + 1]!) + Math.imul(wHi, xLo);
        const lo = out[o + j]! + (Math.imul(wLo, xLo) >>> 0);
        out[o + j] = lo;
        out[o + j + 1] = out[o + j + 1]! + hi + (lo > 0xffffffff ? 1 : 0);
      }
    }
  }
  const maskHi = ell === 64 ? -1 : (1 << (ell - 32)) - 1;
  for (let i = 1; i < out.length; i += 2) out[i] = out[i]! & maskHi;
  return out;
}

/**
 * im2col of NCHW activations: the (C·kh·kw) × (N·OH·OW) matrix whose row (c, dy, dx) and
 * column (n, oy, ox) hold x[n][c][oy·sh + dy·dh − top][ox·sw + dx·dw − left], 0 in the
 * padding. Weights [M, C, kh, kw] are then an M × (C·kh·kw) matrix as they lie in memory.
 */
export function im2col(
  x: Uint32Array,
  layer: ConvLayer,
  oh: number,
  ow: number,
  wpv: 1 | 2,
): Uint32Array {
  const { batch, inChannels: c, height: h, width: w } = layer;
  const [kh, kw] = layer.kernel;
  const [sh, sw] = layer.strides;
  const [dh, dw] = layer.dilations ?? [1, 1];
  const [top, left] = layer.pads;
  const cols = batch * oh * ow;
  const out = new Uint32Array(c * kh * kw * cols * wpv);
  for (let ch = 0; ch < c; ch++) {
    for (let dy = 0; dy < kh; dy++) {
      for (let dx = 0; dx < kw; dx++) {
        const row = ((ch * kh + dy) * kw + dx) * cols;
        for (let n = 0; n < batch; n++) {
          const plane = (n * c + ch) * h * w;
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * sh + dy * dh - top;
            if (iy < 0 || iy >= h) continue;
            const o = row + (n * oh + oy) * ow;
            for (let ox = 0; ox < ow; ox++) {
              const ix = ox * sw + dx * dw - left;
              if (ix < 0 || ix >= w) continue;
              if (wpv === 1) out[o + ox] = x[plane + iy * w + ix]!;
              else {
                out[2 * (o + ox)] = x[2 * (plane + iy * w + ix)]!;
                out[2 * (o + ox) + 1] = x[2 * (plane + iy * w + ix) + 1]!;
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/**
 * [M, N·S] (the product's layout, S = OH·OW) to [N, M, S]: NCHW output. A no-op copy-free
 * view when N = 1.
 */
export function toBatchFirst(
  y: Uint32Array,
  m: number,
  batch: number,
  s: number,
  wpv: 1 | 2,
): Uint32Array {
  if (batch === 1) return y;
  const out = new Uint32Array(y.length);
  const run = s * wpv;
  for (let ch = 0; ch < m; ch++) {
    for (let n = 0; n < batch; n++) {
      out.set(y.subarray((ch * batch + n) * run, (ch * batch + n + 1) * run), (n * m + ch) * run);
    }
  }
  return out;
}
