// The convolution of one NCHW image over Z_2^32, and so over Z_2^ℓ for ℓ ≤ 32 (its low ℓ
// bits): the ring layers' local half W·x0 on the server. i32x4.mul and i32x4.add wrap mod 2^32,
// which is exactly the ring's arithmetic, so four products take one instruction and nothing is
// reduced until the end.
//
// im2col over chunks of output positions: a chunk's "columns" are K = C·kH·kW rows of `chunk`
// values, row k holding tap k's input for each position (0 in the padding), then each output
// channel's values over the chunk are Σ_k w[o][k]·row_k, two taps per pass over an
// accumulator of `chunk` lanes. The chunk is sized by the caller so the rows stay in cache
// (they are read once per output channel).

/**
 * out (M × OH·OW i32) ← the convolution of x (C × H × W i32) with w (M × C × kH × kW i32), mod
 * 2^32, strides (sH, sW), top and left padding (padTop, padLeft), output OH × OW. `scratch`
 * holds (K + 1)·chunk i32 for K = C·kH·kW; `chunk` is a positive multiple of 4.
 */
export function convolveRing32(
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
  const K = C * kH * kW;
  const P = OH * OW;
  const rowBytes = <usize>chunk << 2;
  const acc = scratch + <usize>K * rowBytes;
  for (let p0 = 0; p0 < P; p0 += chunk) {
    const count = min(chunk, P - p0);
    let row = scratch;
    for (let c = 0; c < C; c++)
      for (let ky = 0; ky < kH; ky++)
        for (let kx = 0; kx < kW; kx++) {
          const plane = x + (<usize>(c * H * W) << 2);
          let oy = p0 / OW;
          let ox = p0 % OW;
          for (let i = 0; i < count; i++) {
            const iy = oy * sH + ky - padTop;
            const ix = ox * sW + kx - padLeft;
            const inside = <u32>iy < <u32>H && <u32>ix < <u32>W;
            store<i32>(row + (<usize>i << 2), inside ? load<i32>(plane + (<usize>(iy * W + ix) << 2)) : 0);
            if (++ox === OW) {
              ox = 0;
              oy++;
            }
          }
          memory.fill(row + (<usize>count << 2), 0, <usize>(chunk - count) << 2);
          row += rowBytes;
        }
    for (let o = 0; o < M; o++) {
      memory.fill(acc, 0, rowBytes);
      const weights = w + (<usize>(o * K) << 2);
      let k = 0;
      for (; k + 1 < K; k += 2) {
        const w0 = i32x4.splat(load<i32>(weights + (<usize>k << 2)));
        const w1 = i32x4.splat(load<i32>(weights + (<usize>(k + 1) << 2)));
        const r0 = scratch + <usize>k * rowBytes;
        const r1 = r0 + rowBytes;
        for (let b: usize = 0; b < rowBytes; b += 16) {
          const sum = i32x4.add(i32x4.mul(w0, v128.load(r0 + b)), i32x4.mul(w1, v128.load(r1 + b)));
          v128.store(acc + b, i32x4.add(v128.load(acc + b), sum));
        }
      }
      if (k < K) {
        const w0 = i32x4.splat(load<i32>(weights + (<usize>k << 2)));
        const r0 = scratch + <usize>k * rowBytes;
        for (let b: usize = 0; b < rowBytes; b += 16)
          v128.store(acc + b, i32x4.add(v128.load(acc + b), i32x4.mul(w0, v128.load(r0 + b))));
      }
      memory.copy(out + (<usize>(o * P + p0) << 2), acc, <usize>count << 2);
    }
  }
}
