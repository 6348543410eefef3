/**
 * SERVER: a layer's input ciphertexts (the client's serialized share, seeded), each turned
 * into what the plan asks for on first use — a SEAL ciphertext in NTT form (the slot plans
 * multiply and rotate them), or its residues in the residue kernels' memory, moved to NTT
 * form there (the coefficient plans only sum products, which kernels/products.ts does ≈ 5×
 * faster than node-seal). Kernel plaintexts are made there from their coefficients (lifted
 * centred, as SEAL lifts a plaintext, then our NTT: bit for bit SEAL's), and sums moved back
 * to coefficient form there.
 *
 * The ring's inputs are ours (ring-bfv.ts: seed ‖ c0 packed at 60 bits): c0 is checked canonical and moved to
 * NTT form, c1's NTT residues are the seed's expansion (rlwe.ts). The field's are SEAL's, and
 * node-seal gives no access to a ciphertext's residues, so they travel through SEAL's
 * uncompressed serialization, whose data block ends the bytes: an input is loaded (its seed
 * expanded) and saved once; an output sum is loaded once, behind the header of a saved
 * input (same parameters, level, size and NTT flag). The ring's outputs never go back to SEAL
 * (protocols/ring-output.ts).
 */
import { HeShapeError } from '../errors.js';
import { ProductArena } from '../kernels/products.js';
import { SLOTS } from '../params.js';
import { seededCiphertextBytes } from '../ring-bfv.js';
import { expandSeed, SEED_BYTES } from '../rlwe.js';
import type { CipherText, Scope } from '../seal.js';
import type { HeSession } from '../session.js';

/** A kernel plaintext's place in the product kernel's memory. */
export type KernelHandle = number;

/** The products a sum is made of: pairs (input ciphertext index, kernel plaintext). */
export type ProductTerms = readonly (readonly [input: number, kernel: KernelHandle])[];

export class ServerInputs {
  private readonly ciphertexts: (CipherText | undefined)[];
  /** Whether input i's residues are in the kernel's memory (at residuesAt + i·ciphertextBytes). */
  private readonly copied: boolean[];
  private residuesAt = 0;
  /** Ring: the public key's residues (a ciphertext's room) and two plaintexts' of scratch. */
  private publicKeyAt = 0;
  private scratchAt = 0;
  private residueArena: ProductArena | undefined;
  private kernelsMark = 0;
  /** The serialization header of an NTT-form input (everything before its residues). */
  private header: Uint8Array | undefined;
  private sumBytes: Uint8Array | undefined;
  private centred: Float64Array | undefined;

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

  /**
   * A kernel plaintext in the kernel's memory in NTT form: zero but for the `count`
   * coefficients at `positions` (public: they follow from the layer's shape), whose plaintext
   * values (in [0, t)) are `values` — lifted centred (v ≥ t/2 becomes v − t), as SEAL lifts a
   * plaintext, and transformed from those positions only (kernels/products.ts).
   */
  kernel(positions: Int32Array, values: Float64Array, count: number): KernelHandle {
    const arena = this.productArena();
    const t = this.session.params.plainModulus;
    const at = arena.alloc(arena.plaintextBytes);
    // One array for every kernel of the layer: a layer lifts hundreds.
    if (!this.centred || this.centred.length < count) this.centred = new Float64Array(count);
    const centred = this.centred;
    for (let c = 0; c < count; c++) {
      const v = values[c]!;
      centred[c] = v >= t / 2 ? v - t : v;
    }
    arena.sparseForward(at, positions, centred, count);
    arena.toProductForm(at, this.session.primes.length);
    return at;
  }

  /**
   * Reads input `index` into the kernel's memory now rather than on first use (its bytes must
   * be in place): the server does it as each input arrives. HeShapeError if it is malformed.
   */
  prepare(index: number): void {
    this.residuesOf(index);
  }

  /** Forgets every kernel plaintext stored so far (their handles become invalid). */
  releaseKernels(): void {
    this.residueArena?.free(this.kernelsMark);
  }

  /**
   * Σ input_i ⊙ kernel for `terms` (input index, kernel handle), plus Σ ciphertext ⊙ plaintext
   * for `extra` (pairs of addresses in `arena`, NTT form), in coefficient form: the address of
   * its residues in `arena` (overwritten by the next sum); null without any term.
   */
  sumResidues(
    terms: ProductTerms,
    extra: readonly (readonly [ciphertext: number, plaintext: number])[] = [],
  ): number | null {
    if (terms.length + extra.length === 0) return null;
    const arena = this.productArena();
    const at = arena.sum([
      ...terms.map(([input, kernel]) => [this.residuesOf(input), kernel] as const),
      ...extra,
    ]);
    arena.inverse(at, 2 * this.session.primes.length);
    return at;
  }

  /** The same sum as a SEAL ciphertext in coefficient form, tracked by `scope`. */
  productSum(terms: ProductTerms, scope: Scope): CipherText | null {
    const at = this.sumResidues(terms);
    if (at === null) return null;
    const arena = this.productArena();
    // One serialization buffer for every sum: its header is the inputs', loadArray copies it.
    const header = this.header!;
    if (!this.sumBytes) {
      this.sumBytes = new Uint8Array(header.byteLength + arena.ciphertextBytes);
      this.sumBytes.set(header);
    }
    const bytes = this.sumBytes;
    bytes.set(arena.bytes(at, arena.ciphertextBytes), header.byteLength);
    const ct = scope.track(this.session.seal.CipherText());
    ct.loadArray(this.session.context, bytes);
    return ct;
  }

  /** The residue kernels' memory of this layer (its inputs and kernels). */
  get arena(): ProductArena {
    return this.productArena();
  }

  /** Ring: the address in `arena` of the public key's NTT residues in product form (p0, p1: a ciphertext). */
  get publicKey(): number {
    this.productArena();
    return this.publicKeyAt;
  }

  /** Ring: room in `arena` for two plaintexts (plaintextBytes each), reused per output. */
  get scratch(): readonly [number, number] {
    const arena = this.productArena();
    return [this.scratchAt, this.scratchAt + arena.plaintextBytes];
  }

  /** Frees every SEAL object and the kernel's memory. */
  dispose(): void {
    for (const ct of this.ciphertexts) ct?.delete();
    this.ciphertexts.fill(undefined);
    this.residueArena = undefined;
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
    if (!this.residueArena) {
      const arena = new ProductArena(this.session.primes, SLOTS);
      // Every input (and the output) gets its place now, so kernels can be stacked (and
      // freed) above them.
      this.residuesAt = arena.alloc(this.count * arena.ciphertextBytes);
      const publicKey = this.session.publicKeyResidues;
      if (publicKey) {
        this.publicKeyAt = arena.alloc(arena.ciphertextBytes);
        arena.words(this.publicKeyAt, publicKey.length).set(publicKey);
        arena.toProductForm(this.publicKeyAt, 2 * this.session.primes.length);
        this.scratchAt = arena.alloc(2 * arena.plaintextBytes);
      }
      this.kernelsMark = arena.mark;
      this.residueArena = arena;
    }
    return this.residueArena;
  }

  /** Input `index`'s residues in the kernel's memory, copied there on first use. */
  private residuesOf(index: number): number {
    const arena = this.productArena();
    const at = this.residuesAt + index * arena.ciphertextBytes;
    if (this.copied[index]) return at;
    if (this.session.ring) this.readSeeded(index, at);
    else this.readSeal(index, at);
    this.copied[index] = true;
    return at;
  }

  /** A ring input (seed ‖ c0) → its NTT residues at `at`, or HeShapeError if malformed. */
  private readSeeded(index: number, at: number): void {
    const arena = this.productArena();
    const { primes } = this.session;
    const k = primes.length;
    const bytes = this.serialized[index]!;
    if (bytes.length !== seededCiphertextBytes(k))
      throw new HeShapeError(
        `HE layer input ${index} has ${bytes.length} bytes; a seeded ciphertext at ${k} primes has ${seededCiphertextBytes(k)}`,
      );
    if (!arena.unpack(at, bytes.subarray(SEED_BYTES)))
      throw new HeShapeError(`HE layer input ${index} has a residue not below its prime`);
    expandSeed(bytes.subarray(0, SEED_BYTES), arena, at + 8 * k * SLOTS);
    arena.forward(at, k);
    arena.toProductForm(at, 2 * k);
  }

  /** A field input (SEAL's seeded serialization) → its NTT residues at `at`. */
  private readSeal(index: number, at: number): void {
    const arena = this.productArena();
    const { seal, context } = this.session;
    const ct = seal.CipherText();
    try {
      ct.loadArray(context, this.serialized[index]!);
      const bytes = ct.saveArray(seal.ComprModeType.none);
      const headerBytes = bytes.byteLength - arena.ciphertextBytes;
      if (ct.size !== 2 || ct.isNttForm || headerBytes <= 0)
        throw new RangeError('an input must be a size-2 ciphertext at the first level');
      this.header ??= bytes.slice(0, headerBytes);
      arena.write(at, bytes.subarray(headerBytes));
    } finally {
      ct.delete();
    }
    arena.forward(at, 2 * this.session.primes.length);
    arena.toProductForm(at, 2 * this.session.primes.length);
  }
}
