/**
 * Staging for the WebAssembly SIMD kernel of Ferret's LPN step (asm/lpn.ts, embedded as
 * base64). One encoding at a time: the reserve x and its bits (packed) are copied into the
 * module's memory once, then per chunk of rows the AES column words and the chunk's rows of y are
 * copied in and y copied back. Staging is synchronous, so two parties in one process share
 * the module between their awaits.
 */
import { LPN_WASM_BASE64 } from './lpn.wasm.js';
import { BASE, instantiate, reserve, type WasmMemory } from './wasm.js';

interface Kernel {
  memory: WasmMemory;
  encode(
    x: number,
    xBits: number,
    cols: number,
    y: number,
    yBits: number,
    rows: number,
    d: number,
    k: number,
    withBits: number,
  ): void;
}

let kernel: Kernel | undefined;

/** The first k 0/1 bytes of `bits` as bits, bit c at bit c & 7 of byte c >> 3. */
function packBits(bits: Uint8Array, k: number, out: Uint8Array): void {
  out.fill(0);
  for (let c = 0; c < k; c++) out[c >>> 3]! |= (bits[c]! & 1) << (c & 7);
}

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

/** The LPN kernel bound to one reserve x (k blocks) and, optionally, its bits. */
export class LpnKernel {
  readonly #k: Kernel;
  readonly #at: { x: number; xBits: number; cols: number; y: number; yBits: number };
  readonly #kx: number;
  readonly #d: number;
  readonly #withBits: number;

  constructor(k: number, d: number, maxRows: number, x: Uint8Array, xBits?: Uint8Array) {
    kernel ??= instantiate<Kernel>(LPN_WASM_BASE64);
    this.#k = kernel;
    this.#kx = k;
    this.#d = d;
    this.#withBits = xBits ? 1 : 0;
    const at = { x: BASE, xBits: 0, cols: 0, y: 0, yBits: 0 };
    at.xBits = at.x + align(16 * k);
    at.cols = at.xBits + align(Math.ceil(k / 8));
    at.y = at.cols + align(4 * d * maxRows);
    at.yBits = at.y + align(16 * maxRows);
    reserve(kernel.memory, at.yBits + align(maxRows) - BASE);
    this.#at = at;
    const u8 = new Uint8Array(kernel.memory.buffer);
    u8.set(x.subarray(0, 16 * k), at.x);
    if (xBits) packBits(xBits, k, u8.subarray(at.xBits, at.xBits + Math.ceil(k / 8)));
  }

  /**
   * Rows [first, first + rows) of y (and of yBits) ⊕= their columns of x, with `cols` the
   * rows' d column words each.
   */
  encode(cols: Uint8Array, y: Uint8Array, first: number, rows: number, yBits?: Uint8Array): void {
    const k = this.#k;
    const at = this.#at;
    const u8 = new Uint8Array(k.memory.buffer);
    const withBits = this.#withBits && yBits ? 1 : 0;
    u8.set(cols.subarray(0, 4 * this.#d * rows), at.cols);
    u8.set(y.subarray(16 * first, 16 * (first + rows)), at.y);
    if (withBits) u8.set(yBits!.subarray(first, first + rows), at.yBits);
    k.encode(at.x, at.xBits, at.cols, at.y, at.yBits, rows, this.#d, this.#kx, withBits);
    y.set(u8.subarray(at.y, at.y + 16 * rows), 16 * first);
    if (withBits) yBits!.set(u8.subarray(at.yBits, at.yBits + rows), first);
  }
}
