// Pooling windows as index tables, computed once from the geometry and shared by the float
// kernels, the cleartext fixed-point oracle and the secure executor, so all pool exactly the
// same cells. As in PyTorch, a window is clipped to the input (ceil mode can push it past the
// end padding), and for the divisor of an average pool, to the padded input when padding counts.
import type { PoolGeometry } from './pool.js';

/** For each output (NCHW order) the input indices of its window; -1 fills unused slots. */
export interface WindowTable {
  readonly outputs: number;
  /** Slots per window: kH · kW. */
  readonly size: number;
  readonly indices: Int32Array;
  /** The average pool's divisor of each window (cells counted per its padding rule). */
  readonly divisors: Int32Array;
}

/** The windows of a pool sweep; `countIncludePad` only affects the divisors. */
export function windowTable(g: PoolGeometry, countIncludePad = false): WindowTable {
  const { n, c, h, w, oh, ow } = g;
  const [kh, kw] = g.kernel;
  const [sh, sw] = g.strides;
  const [pt, pl, pb, pr] = g.pads;
  const size = kh * kw;
  const outputs = n * c * oh * ow;
  const indices = new Int32Array(outputs * size).fill(-1);
  const divisors = new Int32Array(outputs);
  let o = 0;
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const py0 = oy * sh - pt;
      const py1 = Math.min(py0 + kh, h + pb);
      const y0 = Math.max(py0, 0);
      const y1 = Math.min(py1, h);
      for (let ox = 0; ox < ow; ox++, o++) {
        const px0 = ox * sw - pl;
        const px1 = Math.min(px0 + kw, w + pr);
        const x0 = Math.max(px0, 0);
        const x1 = Math.min(px1, w);
        let slot = o * size;
        for (let y = y0; y < y1; y++)
          for (let x = x0; x < x1; x++) indices[slot++] = base + y * w + x;
        divisors[o] = countIncludePad ? (py1 - py0) * (px1 - px0) : (y1 - y0) * (x1 - x0);
      }
    }
  }
  return { outputs, size, indices, divisors };
}

/**
 * The table with every unused slot filled by its window's first cell: a maximum over a window
 * with repeats is the same maximum, and every window then has the same size, so a secure max
 * runs one comparison tree over all windows at once. (Every window holds at least one cell:
 * ONNX and PyTorch never produce a window entirely in the padding.)
 */
export function filledWindows(t: WindowTable): Int32Array {
  const out = t.indices.slice();
  for (let o = 0; o < t.outputs; o++) {
    const first = out[o * t.size]!;
    for (let k = 1; k < t.size; k++) if (out[o * t.size + k]! < 0) out[o * t.size + k] = first;
  }
  return out;
}
