/**
 * SERVER: a layer's input ciphertexts (the client's serialized share, seeded), each turned
 * into what the plan asks for on first use — a SEAL ciphertext in NTT form (the slot plans
 * multiply and rotate them), or its residues in the product kernel's memory (the coefficient
 * plan only sums products, which kernels/products.ts does ≈ 5× faster than node-seal).
 *
 * node-seal gives no access to a ciphertext's residues, so they travel through SEAL's
 * uncompressed serialization, whose data block ends the bytes: an input is loaded, moved to
 * NTT form and saved once; a kernel plaintext saved once; an output sum loaded once, behind
 * the header of a saved input (same parameters, level, size and NTT flag).
 */
import { ProductArena } from '../kernels/products.js';
import { SLOTS } from '../params.js';
import type { CipherText, PlainText, Scope } from '../seal.js';
import type { HeSession } from '../session.js';

/** A kernel plaintext's place in the product kernel's memory. */
export type KernelHandle = number;

export class ServerInputs {
  private readonly ciphertexts: (CipherText | undefined)[];
  /** Whether input i's residues are in the kernel's memory (at residuesAt + i·ciphertextBytes). */
  private readonly copied: boolean[];
  private residuesAt = 0;
  private arena: ProductArena | undefined;
  private kernelsMark = 0;
  /** The serialization header of an NTT-form input (everything before its residues). */
  private header: Uint8Array | undefined;
  private sumBytes: Uint8Array | undefined;

  constructor(
    private readonly session: HeSession,
    private readonly serialized: readonly Uint8Array[],
  ) {
    this.ciphertexts = new Array(serialized.length);
    this.copied = new Array(serialized.length).fill(false);
  }

  get count(): number {
    return this.serialized.length;
  }

  /** Input `index` as a SEAL ciphertext in NTT form (owned here). */
  ciphertext(index: number): CipherText {
    let ct = this.ciphertexts[index];
    if (!ct) {
      ct = this.load(index);
      this.ciphertexts[index] = ct;
    }
    return ct;
  }

  /** Copies `plain` (NTT form, top level) into the kernel's memory; the caller keeps `plain`. */
  kernel(plain: PlainText): KernelHandle {
    const arena = this.productArena();
    if (!plain.isNttForm || plain.coeffCount !== arena.plaintextBytes / 8)
      throw new RangeError('a kernel plaintext must be in NTT form at the first level');
    const bytes = plain.saveArray(this.session.seal.ComprModeType.none);
    const at = arena.alloc(arena.plaintextBytes);
    arena.write(at, bytes.subarray(bytes.byteLength - arena.plaintextBytes));
    return at;
  }

  /** Forgets every kernel plaintext stored so far (their handles become invalid). */
  releaseKernels(): void {
    this.arena?.free(this.kernelsMark);
  }

  /**
   * Σ input_i ⊙ kernel for `terms` (input index, kernel handle), a SEAL ciphertext in NTT
   * form tracked by `scope`; null without terms.
   */
  productSum(
    terms: readonly (readonly [input: number, kernel: KernelHandle])[],
    scope: Scope,
  ): CipherText | null {
    if (terms.length === 0) return null;
    const arena = this.productArena();
    const pairs = terms.map(([input, kernel]) => [this.residuesOf(input), kernel] as const);
    // One serialization buffer for every sum: its header is the inputs', loadArray copies it.
    const header = this.header!;
    if (!this.sumBytes) {
      this.sumBytes = new Uint8Array(header.byteLength + arena.ciphertextBytes);
      this.sumBytes.set(header);
    }
    const bytes = this.sumBytes;
    arena.sum(pairs, bytes, header.byteLength);
    const ct = scope.track(this.session.seal.CipherText());
    ct.loadArray(this.session.context, bytes);
    return ct;
  }

  /** Frees every SEAL object and the kernel's memory. */
  dispose(): void {
    for (const ct of this.ciphertexts) ct?.delete();
    this.ciphertexts.fill(undefined);
    this.arena = undefined;
  }

  private load(index: number): CipherText {
    const { seal, context, evaluator } = this.session;
    const ct = seal.CipherText();
    try {
      ct.loadArray(context, this.serialized[index]!);
      evaluator.cipherTransformToNtt(ct, ct);
    } catch (error) {
      ct.delete();
      throw error;
    }
    return ct;
  }

  private productArena(): ProductArena {
    if (!this.arena) {
      this.arena = new ProductArena(this.session.primes, SLOTS);
      // Every input gets its place now, so kernels can be stacked (and freed) above them.
      this.residuesAt = this.arena.alloc(this.count * this.arena.ciphertextBytes);
      this.kernelsMark = this.arena.mark;
    }
    return this.arena;
  }

  /** Input `index`'s residues in the kernel's memory, copied there on first use. */
  private residuesOf(index: number): number {
    const arena = this.productArena();
    const at = this.residuesAt + index * arena.ciphertextBytes;
    if (this.copied[index]) return at;
    const cached = this.ciphertexts[index];
    const ct = cached ?? this.load(index);
    try {
      const bytes = ct.saveArray(this.session.seal.ComprModeType.none);
      const headerBytes = bytes.byteLength - arena.ciphertextBytes;
      if (ct.size !== 2 || !ct.isNttForm || headerBytes <= 0)
        throw new RangeError('an input must be a size-2 ciphertext at the first level');
      this.header ??= bytes.slice(0, headerBytes);
      arena.write(at, bytes.subarray(headerBytes));
    } finally {
      if (!cached) ct.delete();
    }
    this.copied[index] = true;
    return at;
  }
}
