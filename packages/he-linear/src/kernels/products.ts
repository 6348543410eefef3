/**
 * The WebAssembly residue kernels (asm/products.ts with asm/ntt.ts and asm/rows.ts, embedded
 * as base64; the product sum uses WebAssembly SIMD) and the memory they work in: one layer's residue arrays (input ciphertexts,
 * kernel plaintexts, sums), each addressed by its byte offset, and per prime the NTT's tables
 * (kernels/ntt-tables.ts). Each arena has its own instance of the module (compiled once per
 * thread), so a client's and a server's arena can be live in one thread.
 */

import { compileKernel, instantiateKernel } from './instantiate.js';
import { inverseMod, nttTable, shoupQuotient, tableWords } from './ntt-tables.js';
import { PRODUCTS_WASM_BASE64 } from './products.wasm.js';

interface ProductExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  productSum(
    out: number,
    terms: number,
    count: number,
    n: number,
    k: number,
    primes: number,
    scratch: number,
  ): void;
  productScratchBytes(n: number): number;
  toProductForm(at: number, words: number): void;
  dyadicProduct(out: number, a: number, b: number, n: number, k: number, primes: number): void;
  forwardNtt(a: number, n: number, table: number): void;
  inverseNtt(a: number, n: number, table: number): void;
  liftSigned(out: number, values: number, n: number, k: number, primes: number): void;
  addRows(out: number, a: number, rows: number, n: number, k: number, primes: number): void;
  addScaled(c0: number, values: number, n: number, k: number, deltas: number): void;
  modSwitch(at: number, n: number, k: number, polys: number, constants: number): void;
  decodeRing(phase: number, out: number, n: number, q: bigint, ell: number): bigint;
  packResidues(out: number, words: number, count: number): number;
  spreadWords(): number;
  spreadFactors(out: number, scratch: number, n: number, table: number): void;
  sparseForwardNtt(
    a: number,
    n: number,
    k: number,
    tables: number,
    tableBytes: number,
    spreads: number,
    positions: number,
    values: number,
    count: number,
  ): void;
  unpackResidues(out: number, bytes: number, n: number, k: number, primes: number): number;
  uniformResidues(
    out: number,
    draws: number,
    count: number,
    n: number,
    k: number,
    primes: number,
  ): number;
}

let compiled: object | undefined;

/** Spread factors with their Shoup quotients, per (prime, n): BigInt work done once per thread. */
const spreadCache = new Map<string, BigUint64Array>();

/** Page 0 holds the module's own data; the arena starts at page 1. */
const BASE = 65536;
const PAGE = 65536;

/** Residue arrays in WebAssembly memory and the ring pipeline's steps on them. */
export class ProductArena {
  private readonly kernel: ProductExports;
  private readonly k: number;
  private readonly primesAt: number;
  private readonly tablesAt: number;
  private tablesFilled = false;
  /** The sparse transform's spread factors, per prime (asm/sparse-ntt.ts), filled on first use. */
  private readonly spreadsAt: number;
  private spreadsFilled = false;
  /** Per level (primes kept after the switch): the modulus switch's constants. */
  private readonly switchAt = new Map<number, number>();
  /** n f64 of scratch (lift's input, decode's output). */
  private readonly scratchAt: number;
  /** 3k words of constants for one call (addScaled's). */
  private readonly constantsAt: number;
  private readonly outAt: number;
  /** The product sum's accumulators. */
  private readonly sumScratchAt: number;
  private top: number;

  /** `primes` the k data primes (each between 2^40 and 2^60), n the ring degree. */
  constructor(
    private readonly primes: readonly bigint[],
    private readonly n: number,
  ) {
    if (primes.some((q) => q >= 1n << 60n || q < 1n << 40n))
      throw new RangeError('the product kernel needs primes between 2^40 and 2^60');
    if (n < 2 || (n & (n - 1)) !== 0)
      throw new RangeError(`the product kernel needs a power-of-two degree, not ${n}`);
    compiled ??= compileKernel(PRODUCTS_WASM_BASE64);
    this.kernel = instantiateKernel<ProductExports>(compiled);
    this.k = primes.length;
    this.top = BASE;
    this.primesAt = this.alloc(8 * this.k);
    this.words(this.primesAt, this.k).set(primes);
    // Filled on the first transform: the product sums alone take any primes.
    this.tablesAt = this.alloc(8 * this.k * tableWords(n));
    this.spreadsAt = this.alloc(8 * this.k * this.kernel.spreadWords());
    for (let kept = 1; kept < this.k; kept++) this.switchAt.set(kept, this.switchConstants(kept));
    this.scratchAt = this.alloc(8 * n);
    this.constantsAt = this.alloc(24 * this.k);
    this.outAt = this.alloc(this.ciphertextBytes);
    this.sumScratchAt = this.alloc(this.kernel.productScratchBytes(n));
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
    new Uint8Array(this.kernel.memory.buffer, at, bytes.byteLength).set(bytes);
  }

  /** The `count` u64 words at `at`, as a view (valid until the next alloc). */
  words(at: number, count: number): BigUint64Array {
    return new BigUint64Array(this.kernel.memory.buffer, at, count);
  }

  /** The `length` bytes at `at`, as a view (valid until the next alloc). */
  bytes(at: number, length: number): Uint8Array {
    return new Uint8Array(this.kernel.memory.buffer, at, length);
  }

  /** `rows` rows of n residues at `at` (row r mod prime r % k) → their NTT, in place. */
  forward(at: number, rows: number): void {
    for (let r = 0; r < rows; r++)
      this.kernel.forwardNtt(at + 8 * r * this.n, this.n, this.tableAt(r % this.k));
  }

  /**
   * k rows at `at` ← the NTT of the polynomial that is 0 except at the `count` distinct
   * `positions` (public: they must follow from public shapes, never from the values), with the
   * signed `values` (|v| < every prime). From the spread factors when few enough positions
   * make that cheaper (asm/sparse-ntt.ts), else lifted and transformed densely.
   */
  sparseForward(at: number, positions: Int32Array, values: Float64Array, count: number): void {
    if (this.n < 128 || 64 * count >= 3 * this.n) {
      const dense = new Float64Array(this.kernel.memory.buffer, this.scratchAt, this.n);
      dense.fill(0);
      for (let c = 0; c < count; c++) dense[positions[c]!] = values[c]!;
      this.kernel.liftSigned(at, this.scratchAt, this.n, this.k, this.primesAt);
      this.forward(at, this.k);
      return;
    }
    const spreads = this.spreads();
    const mark = this.top;
    const positionsAt = this.alloc(8 * Math.ceil(count / 2));
    const valuesAt = this.alloc(8 * count);
    new Int32Array(this.kernel.memory.buffer, positionsAt, count).set(positions.subarray(0, count));
    new Float64Array(this.kernel.memory.buffer, valuesAt, count).set(values.subarray(0, count));
    this.kernel.sparseForwardNtt(
      at,
      this.n,
      this.k,
      this.tableAt(0),
      8 * tableWords(this.n),
      spreads,
      positionsAt,
      valuesAt,
      count,
    );
    this.free(mark);
  }

  /** The inverse of `forward`. */
  inverse(at: number, rows: number): void {
    for (let r = 0; r < rows; r++)
      this.kernel.inverseNtt(at + 8 * r * this.n, this.n, this.tableAt(r % this.k));
  }

  /**
   * `rows` rows of NTT residues at `at` → the product form `sum` reads (each residue's two
   * 30-bit limbs in the two halves of its word), in place. Nothing else reads that form.
   */
  toProductForm(at: number, rows: number): void {
    this.kernel.toProductForm(at, rows * this.n);
  }

  /** k rows at `at` ← n signed integers (|v| < every prime) mod each prime. */
  lift(at: number, values: Float64Array): void {
    new Float64Array(this.kernel.memory.buffer, this.scratchAt, this.n).set(values);
    this.kernel.liftSigned(at, this.scratchAt, this.n, this.k, this.primesAt);
  }

  /**
   * k rows at `at` ← themselves + Δ_j·m (m: n integers below 2^53), `deltas` holding per prime
   * q_j, Δ_j < q_j and Δ_j's Shoup quotient.
   */
  addScaled(at: number, m: Float64Array, deltas: BigUint64Array): void {
    new Float64Array(this.kernel.memory.buffer, this.scratchAt, this.n).set(m);
    this.words(this.constantsAt, 3 * this.k).set(deltas);
    this.kernel.addScaled(at, this.scratchAt, this.n, this.k, this.constantsAt);
  }

  /** `rows` rows at `out` ← themselves + those at `a` (row r mod prime r % k). */
  add(out: number, a: number, rows: number): void {
    this.kernel.addRows(out, a, rows, this.n, this.k, this.primesAt);
  }

  /** `rows` (≤ k) rows at `out` ← those at `a` ⊙ those at `b` (NTT form). */
  multiply(out: number, a: number, b: number, rows = this.k): void {
    this.kernel.dyadicProduct(out, a, b, this.n, rows, this.primesAt);
  }

  /**
   * A size-2 ciphertext at `at` (coefficient form, `from` primes) switched down to `kept`
   * primes, in place and packed (SEAL's mod switch, one prime at a time).
   */
  modSwitch(at: number, from: number, kept: number): void {
    for (let primes = from; primes > kept; primes--)
      this.kernel.modSwitch(at, this.n, primes, 2, this.switchAt.get(primes - 1)!);
  }

  /**
   * The ring's messages ⌊2^ℓ·x/q_0⌉ mod 2^ℓ of the phases x at `at` (one row, mod the first
   * prime), and the largest |2^ℓ·x − m·q_0|.
   */
  decode(at: number, ell: number): { values: Float64Array; worst: bigint } {
    const worst = this.kernel.decodeRing(at, this.scratchAt, this.n, this.primes[0]!, ell);
    const values = new Float64Array(this.kernel.memory.buffer, this.scratchAt, this.n).slice();
    return { values, worst: BigInt.asUintN(64, worst) };
  }

  /**
   * The k rows at `at` packed at 60 bits into `out` (packedResiduesBytes(k·n) bytes, 15 per
   * pair); RangeError if a residue is not below 2^60.
   */
  pack(at: number, out: Uint8Array): void {
    const mark = this.top;
    const staging = this.alloc(8 * Math.ceil(out.length / 8));
    const ok = this.kernel.packResidues(staging, at, (2 * out.length) / 15);
    out.set(this.bytes(staging, out.length));
    this.free(mark);
    if (!ok) throw new RangeError('a residue is not below 2^60');
  }

  /**
   * k rows at `at` ← the residues packed in `bytes` (15 per pair, k·n residues); false if one
   * is not below its prime (the rows are then not canonical and must not be used).
   */
  unpack(at: number, bytes: Uint8Array): boolean {
    if (bytes.length !== (15 * this.k * this.n) / 2)
      throw new RangeError(`${this.k} packed rows are ${(15 * this.k * this.n) / 2} bytes`);
    const mark = this.top;
    const staging = this.alloc(8 * Math.ceil(bytes.length / 8));
    this.write(staging, bytes);
    const canonical = this.kernel.unpackResidues(at, staging, this.n, this.k, this.primesAt);
    this.free(mark);
    return canonical === 1;
  }

  /**
   * k rows at `at` ← residues uniform below each prime from a stream of u64 draws (asm/
   * residue-format.ts's rule): `fill` writes the stream's first bytes into the view it is
   * given. Enough draws for all but a vanishing fraction of streams are asked for first;
   * otherwise twice as many, from the start again.
   */
  uniform(at: number, fill: (draws: Uint8Array) => void): void {
    // Each draw is kept w.p. q/2^bits(q) > 1/2: 10 % above the expected count, plus 64.
    let count = 64;
    for (const q of this.primes)
      count += Math.ceil((1.1 * this.n * 2 ** q.toString(2).length) / Number(q));
    for (; ; count *= 2) {
      const mark = this.top;
      const draws = this.alloc(8 * count);
      fill(this.bytes(draws, 8 * count));
      const used = this.kernel.uniformResidues(at, draws, count, this.n, this.k, this.primesAt);
      this.free(mark);
      if (used >= 0) return;
    }
  }

  /**
   * Σ_t ciphertext_t ⊙ plaintext_t for `terms` (pairs of addresses, ciphertext then plaintext),
   * both in NTT and product form (`toProductForm`); returns the address of the sum, in NTT
   * form (ciphertextBytes, overwritten by the next sum).
   */
  sum(terms: readonly (readonly [number, number])[]): number {
    // The term table is scratch space above the last array.
    this.reserve(this.top + 8 * terms.length);
    const table = new Uint32Array(this.kernel.memory.buffer, this.top, 2 * terms.length);
    terms.forEach(([ct, pt], t) => {
      table[2 * t] = ct;
      table[2 * t + 1] = pt;
    });
    this.kernel.productSum(
      this.outAt,
      this.top,
      terms.length,
      this.n,
      this.k,
      this.primesAt,
      this.sumScratchAt,
    );
    return this.outAt;
  }

  private tableAt(j: number): number {
    const at = this.tablesAt + 8 * j * tableWords(this.n);
    if (!this.tablesFilled) {
      this.primes.forEach((q, i) => {
        this.words(this.tablesAt + 8 * i * tableWords(this.n), tableWords(this.n)).set(
          nttTable(q, this.n),
        );
      });
      this.tablesFilled = true;
    }
    return at;
  }

  /** The spread factors of every prime, filled on first use (from a per-thread cache). */
  private spreads(): number {
    const at = this.spreadsAt;
    if (this.spreadsFilled) return at;
    const words = this.kernel.spreadWords();
    const mark = this.top;
    const scratch = this.alloc(8 * this.n);
    this.primes.forEach((q, j) => {
      const key = `${q}:${this.n}`;
      let factors = spreadCache.get(key);
      if (!factors) {
        this.kernel.spreadFactors(at + 8 * j * words, scratch, this.n, this.tableAt(j));
        factors = this.words(at + 8 * j * words, words).slice();
        for (let i = 0; i < words; i += 2) factors[i + 1] = shoupQuotient(factors[i]!, q);
        spreadCache.set(key, factors);
      }
      this.words(at + 8 * j * words, words).set(factors);
    });
    this.free(mark);
    this.spreadsFilled = true;
    return at;
  }

  /** The constants of the switch from kept + 1 primes to kept (asm/rows.ts's modSwitch). */
  private switchConstants(kept: number): number {
    const last = this.primes[kept]!;
    const half = last >> 1n;
    const at = this.alloc(16 + 32 * kept);
    const words = this.words(at, 2 + 4 * kept);
    words.set([last, half]);
    for (let j = 0; j < kept; j++) {
      const q = this.primes[j]!;
      const inverse = inverseMod(last % q, q);
      words.set([q, inverse, shoupQuotient(inverse, q), half % q], 2 + 4 * j);
    }
    return at;
  }

  /**
   * Memory up to `end`, grown by half its size at least: each grow costs ≈ 0.5 ms, and a layer
   * allocates its kernel plaintexts one by one (untouched pages cost no RSS).
   */
  private reserve(end: number): void {
    const size = this.kernel.memory.buffer.byteLength;
    if (end > size) this.kernel.memory.grow(Math.ceil(Math.max(end - size, size / 2) / PAGE));
  }
}
