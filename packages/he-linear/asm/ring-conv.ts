// The convolution of one NCHW image over Z_2^ℓ, the ring layers' local half W·x0 on the
// server, in integer arithmetic that wraps: mod 2^32 in i32x4 lanes for ℓ ≤ 32 (four products
// per instruction), mod 2^64 in i64 for 32 < ℓ ≤ 53 (the values travel as f64, exact below
// 2^53); both moduli are multiples of 2^ℓ, so nothing is reduced until the end.
//
// im2col over chunks of output positions: a chunk's "columns" are K = C·kH·kW rows of `chunk`
// values, row k holding tap k's input for each position (0 in the padding), then each output
// channel's values over the chunk are Σ_k w[o][k]·row_k, two taps per pass over an
// accumulator of `chunk` lanes. The chunk is sized by the caller so the rows stay in cache
// (they are read once per output channel).

/** The chunk's rows at `rows` (T-sized values): K rows of `chunk`, positions p0 … p0 + count. */
// @ts-ignore: decorator
@inline
function im2col<T>(
  rows: usize,
  x: usize,
  C: i32,
  H: i32,
  W: i32,
  kH: i32,
  kW: i32,
  sH: i32,
  sW: i32,
  padTop: i32,
  padLeft: i32,
  OW: i32,
  p0: i32,
  count: i32,
  chunk: i32,
): void {
  const size = <usize>sizeof<T>();
  let row = rows;
  for (let c = 0; c < C; c++)
    for (let ky = 0; ky < kH; ky++)
      for (let kx = 0; kx < kW; kx++) {
        const plane = x + <usize>(c * H * W) * size;
        let oy = p0 / OW;
        let ox = p0 % OW;
        for (let i = 0; i < count; i++) {
          const iy = oy * sH + ky - padTop;
          const ix = ox * sW + kx - padLeft;
          const inside = <u32>iy < <u32>H && <u32>ix < <u32>W;
          store<T>(row + <usize>i * size, inside ? load<T>(plane + <usize>(iy * W + ix) * size) : <T>0);
          if (++ox === OW) {
            ox = 0;
            oy++;
          }
        }
        memory.fill(row + <usize>count * size, 0, <usize>(chunk - count) * size);
        row += <usize>chunk * size;
      }
}

/**
 * out (M × OH·OW) ← the convolution of x (C × H × W) with w (M × C × kH × kW), strides (sH,
 * sW), top and left padding (padTop, padLeft), output OH × OW: in i32 mod 2^32 (SIMD), or with
 * `wide` in i64 mod 2^64. `scratch` holds (K + 1)·chunk values for K = C·kH·kW; `chunk` is a
 * positive multiple of 4.
 */
export function convolveRing(
  out: usize,
  x: usize,
  w: usize,
  scratch: usize,
  C: i32,
  H: i32,
  W: i32,
  M: i32,
  kH: i32,
  kW: i32,
  sH: i32,
  sW: i32,
  padTop: i32,
  padLeft: i32,
  OH: i32,
  OW: i32,
  chunk: i32,
  wide: bool,
): void {
  if (wide) convolve<i64>(out, x, w, scratch, C, H, W, M, kH, kW, sH, sW, padTop, padLeft, OH, OW, chunk);
  else convolve<i32>(out, x, w, scratch, C, H, W, M, kH, kW, sH, sW, padTop, padLeft, OH, OW, chunk);
}

/** The convolution on values of type T (i32 or i64), each output channel from the chunk's rows. */
// @ts-ignore: decorator
@inline
function convolve<T>(
  out: usize,
  x: usize,
  w: usize,
  scratch: usize,
  C: i32,
  H: i32,
  W: i32,
  M: i32,
  kH: i32,
  kW: i32,
  sH: i32,
  sW: i32,
  padTop: i32,
  padLeft: i32,
  OH: i32,
  OW: i32,
  chunk: i32,
): void {
  const size = <usize>sizeof<T>();
  const K = C * kH * kW;
  const P = OH * OW;
  const rowBytes = <usize>chunk * size;
  const acc = scratch + <usize>K * rowBytes;
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const count = min(chunk, P - p0);
    im2col<T>(scratch, x, C, H, W, kH, kW, sH, sW, padTop, padLeft, OW, p0, count, chunk);
    for (let o = 0; o < M; o++) {
      memory.fill(acc, 0, rowBytes);
      const weights = w + <usize>(o * K) * size;
      if (size === 4) accumulate32(acc, weights, scratch, K, rowBytes);
      else accumulate64(acc, weights, scratch, K, rowBytes);
      memory.copy(out + <usize>(o * P + p0) * size, acc, <usize>count * size);
    }
  }
}

/** acc (rowBytes of i32) += Σ_k weights[k]·row_k, four lanes and two taps at a time. */
// @ts-ignore: decorator
@inline
function accumulate32(acc: usize, weights: usize, rows: usize, K: i32, rowBytes: usize): void {
  let k = 0;
  for (; k + 1 < K; k += 2) {
    const w0 = i32x4.splat(load<i32>(weights + (<usize>k << 2)));
    const w1 = i32x4.splat(load<i32>(weights + (<usize>(k + 1) << 2)));
    const r0 = rows + <usize>k * rowBytes;
    const r1 = r0 + rowBytes;
    for (let b: usize = 0; b < rowBytes; b += 16) {
      const sum = i32x4.add(i32x4.mul(w0, v128.load(r0 + b)), i32x4.mul(w1, v128.load(r1 + b)));
      v128.store(acc + b, i32x4.add(v128.load(acc + b), sum));
    }
  }
  if (k < K) {
    const w0 = i32x4.splat(load<i32>(weights + (<usize>k << 2)));
    const r0 = rows + <usize>k * rowBytes;
    for (let b: usize = 0; b < rowBytes; b += 16)
      v128.store(acc + b, i32x4.add(v128.load(acc + b), i32x4.mul(w0, v128.load(r0 + b))));
  }
}

/** acc (rowBytes of i64) += Σ_k weights[k]·row_k, two taps at a time (i64x2.mul is emulated). */
// @ts-ignore: decorator
@inline
function accumulate64(acc: usize, weights: usize, rows: usize, K: i32, rowBytes: usize): void {
  let k = 0;
  for (; k + 1 < K; k += 2) {
    const w0 = load<i64>(weights + (<usize>k << 3));
    const w1 = load<i64>(weights + (<usize>(k + 1) << 3));
    const r0 = rows + <usize>k * rowBytes;
    const r1 = r0 + rowBytes;
    for (let b: usize = 0; b < rowBytes; b += 16) {
      store<i64>(acc + b, load<i64>(acc + b) + w0 * load<i64>(r0 + b) + w1 * load<i64>(r1 + b));
      store<i64>(acc + b, load<i64>(acc + b, 8) + w0 * load<i64>(r0 + b, 8) + w1 * load<i64>(r1 + b, 8), 8);
    }
  }
  if (k < K) {
    const w0 = load<i64>(weights + (<usize>k << 3));
    const r0 = rows + <usize>k * rowBytes;
    for (let b: usize = 0; b < rowBytes; b += 8)
      store<i64>(acc + b, load<i64>(acc + b) + w0 * load<i64>(r0 + b));
  }
}

/**
 * In place, `count` f64 integers in [0, 2^53) → the convolution's lanes: i64 (`wide`), or i32
 * mod 2^32 packed into the first half of the range (each write lands below the values still
 * to be read). The inputs and weights arrive as f64.
 */
export function toLanes(at: usize, count: i32, wide: bool): void {
  if (wide)
    for (let i = 0; i < count; i++) {
      const p = at + (<usize>i << 3);
      store<u64>(p, <u64>load<f64>(p));
    }
  else
    for (let i = 0; i < count; i++)
      store<u32>(at + (<usize>i << 2), <u32><u64>load<f64>(at + (<usize>i << 3)));
}

/**
 * In place, the inverse of `toLanes` for `count` sums, each reduced to its bits under `mask`
 * (2^ℓ − 1); the i32 lanes unpack from the last, so no lane is overwritten before it is read.
 */
export function fromLanes(at: usize, count: i32, wide: bool, mask: u64): void {
  if (wide)
    for (let i = 0; i < count; i++) {
      const p = at + (<usize>i << 3);
      store<f64>(p, <f64>(load<u64>(p) & mask));
    }
  else
    for (let i = count - 1; i >= 0; i--)
      store<f64>(at + (<usize>i << 3), <f64>(<u64>load<u32>(at + (<usize>i << 2)) & mask));
}
