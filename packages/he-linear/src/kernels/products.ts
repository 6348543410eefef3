/**
 * The WebAssembly product-sum kernel (asm/products.ts, embedded as base64) and the memory it
 * works in: one layer's residue arrays (input ciphertexts, kernel plaintexts, the output),
 * each addressed by its byte offset. A thread has one module, so one arena is live at a time:
 * opening a new one ends the last (its use then throws instead of reading another layer's data).
 */
import { PRODUCTS_WASM_BASE64 } from './products.wasm.js';

// The project's lib (ES2022 + @types/node 20) has no WebAssembly typings: the few used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface ProductExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  productSum(out: number, terms: number, count: number, n: number, k: number, primes: number): void;
}

let kernel: ProductExports | undefined;
let generation = 0;

/** Page 0 holds the module's own data; the arena starts at page 1. */
const BASE = 65536;
const PAGE = 65536;

/** Residue arrays in WebAssembly memory and the sums Σ ct ⊙ pt over them (NTT form). */
export class ProductArena {
  private readonly id = ++generation;
  private readonly k: number;
  private readonly primesAt: number;
  private readonly outAt: number;
  private top: number;

  /** `primes` the k data primes (each between 2^40 and 2^60), n the ring degree. */
  constructor(
    primes: readonly bigint[],
    private readonly n: number,
  ) {
    if (primes.some((q) => q >= 1n << 60n || q < 1n << 40n))
      throw new RangeError('the product kernel needs primes between 2^40 and 2^60');
    if (!kernel) {
      const bytes = Uint8Array.from(atob(PRODUCTS_WASM_BASE64), (c) => c.charCodeAt(0));
      kernel = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
        env: { abort: () => {} },
      }).exports as ProductExports;
    }
    this.k = primes.length;
    this.primesAt = BASE;
    this.outAt = this.primesAt + 8 * this.k;
    this.top = this.outAt + this.ciphertextBytes;
    this.reserve(this.top);
    new BigUint64Array(kernel.memory.buffer, this.primesAt, this.k).set(primes);
  }

  /** Bytes of a size-2 ciphertext's residues (2·k·n u64). */
  get ciphertextBytes(): number {
    return 16 * this.k * this.n;
  }

  /** Bytes of a plaintext's residues (k·n u64). */
  get plaintextBytes(): number {
    return 8 * this.k * this.n;
  }

  /** Where the next `alloc` will place its array: pass it to `free` to drop everything after. */
  get mark(): number {
    return this.top;
  }

  /** Room for `bytes` (a multiple of 8); returns its address. */
  alloc(bytes: number): number {
    const at = this.top;
    this.top += bytes;
    this.reserve(this.top);
    return at;
  }

  /** Drops every array allocated at or after `mark`. */
  free(mark: number): void {
    this.top = mark;
  }

  /** Copies `bytes` (residues, u64 little-endian) to address `at`. */
  write(at: number, bytes: Uint8Array): void {
    new Uint8Array(this.memory(), at, bytes.byteLength).set(bytes);
  }

  /**
   * Σ_t ciphertext_t ⊙ plaintext_t for `terms` (pairs of addresses, ciphertext then plaintext),
   * written into `into` (ciphertextBytes bytes) at `offset`.
   */
  sum(terms: readonly (readonly [number, number])[], into: Uint8Array, offset: number): void {
    // The term table is scratch space above the last array.
    this.reserve(this.top + 8 * terms.length);
    const table = new Uint32Array(this.memory(), this.top, 2 * terms.length);
    terms.forEach(([ct, pt], t) => {
      table[2 * t] = ct;
      table[2 * t + 1] = pt;
    });
    kernel!.productSum(this.outAt, this.top, terms.length, this.n, this.k, this.primesAt);
    into.set(new Uint8Array(this.memory(), this.outAt, this.ciphertextBytes), offset);
  }

  private memory(): ArrayBuffer {
    if (this.id !== generation)
      throw new Error('this product arena was replaced by a newer one on the same thread');
    return kernel!.memory.buffer;
  }

  private reserve(end: number): void {
    const grow = end - kernel!.memory.buffer.byteLength;
    if (grow > 0) kernel!.memory.grow(Math.ceil(grow / PAGE));
  }
}
