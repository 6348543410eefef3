// Dense float64 matrix product on typed arrays, the hot loop of conv and gemm in the float
// executor. Both operands are row-major along the reduction axis, so a 4x4 block of outputs
// keeps 16 accumulators in registers and reads 8 contiguous values per step — no stores in the
// inner loop, which is what the JIT needs to run it at close to scalar peak.

/**
 * out[outOff + i*n + j] += sum_kk a[aOff + i*k + kk] * b[bOff + j*k + kk] for i < m, j < n:
 * `a` is [m, k] and `b` is [n, k], both row-major; `out` holds zeros or the bias on entry.
 */
export function matmulAccumulateBT(
  out: Float64Array,
  outOff: number,
  a: Float64Array,
  aOff: number,
  b: Float64Array,
  bOff: number,
  m: number,
  k: number,
  n: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = aOff + i * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j = 0; j < n4; j += 4) {
      const b0 = bOff + j * k;
      const b1 = b0 + k;
      const b2 = b1 + k;
      const b3 = b2 + k;
      let c00 = 0,
        c01 = 0,
        c02 = 0,
        c03 = 0,
        c10 = 0,
        c11 = 0,
        c12 = 0,
        c13 = 0;
      let c20 = 0,
        c21 = 0,
        c22 = 0,
        c23 = 0,
        c30 = 0,
        c31 = 0,
        c32 = 0,
        c33 = 0;
      for (let kk = 0; kk < k; kk++) {
        const x0 = a[a0 + kk]!;
        const x1 = a[a1 + kk]!;
        const x2 = a[a2 + kk]!;
        const x3 = a[a3 + kk]!;
        const y0 = b[b0 + kk]!;
        const y1 = b[b1 + kk]!;
        const y2 = b[b2 + kk]!;
        const y3 = b[b3 + kk]!;
        c00 += x0 * y0;
        c01 += x0 * y1;
        c02 += x0 * y2;
        c03 += x0 * y3;
        c10 += x1 * y0;
        c11 += x1 * y1;
        c12 += x1 * y2;
        c13 += x1 * y3;
        c20 += x2 * y0;
        c21 += x2 * y1;
        c22 += x2 * y2;
        c23 += x2 * y3;
        c30 += x3 * y0;
        c31 += x3 * y1;
        c32 += x3 * y2;
        c33 += x3 * y3;
      }
      const o0 = outOff + i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      out[o0]! += c00;
      out[o0 + 1]! += c01;
      out[o0 + 2]! += c02;
      out[o0 + 3]! += c03;
      out[o1]! += c10;
      out[o1 + 1]! += c11;
      out[o1 + 2]! += c12;
      out[o1 + 3]! += c13;
      out[o2]! += c20;
      out[o2 + 1]! += c21;
      out[o2 + 2]! += c22;
      out[o2 + 3]! += c23;
      out[o3]! += c30;
      out[o3 + 1]! += c31;
      out[o3 + 2]! += c32;
      out[o3 + 3]! += c33;
    }
  }
  // Edges: the last m % 4 rows (all columns) and the last n % 4 columns (block rows).
  const dot = (i: number, j: number) => {
    let acc = 0;
    const ar = aOff + i * k;
    const br = bOff + j * k;
    for (let kk = 0; kk < k; kk++) acc += a[ar + kk]! * b[br + kk]!;
    out[outOff + i * n + j]! += acc;
  };
  for (let i = 0; i < m4; i++) for (let j = n4; j < n; j++) dot(i, j);
  for (let i = m4; i < m; i++) for (let j = 0; j < n; j++) dot(i, j);
}
