/**
 * What every HE layer plan provides (packing, homomorphic evaluation, extraction, cleartext
 * twin) and the shared server-side building blocks: products accumulated in NTT form, and
 * Horner-style sums of rotated terms with lazy rotations. Pure of I/O.
 */
import { HeShapeError } from '../errors.js';
import { ROW, SLOTS } from '../params.js';
import type { ProductTerms, ServerInputs } from '../protocols/inputs.js';
import type { CipherText, PlainText, Scope } from '../seal.js';
import type { HeSession } from '../session.js';

/** How a vector of N field elements becomes a plaintext: SIMD slots, or polynomial coefficients. */
export type Encoding = 'slots' | 'coefficients';

/** What a layer defines: its packing, its homomorphic evaluation and its cleartext twin. */
export interface LinearPlan {
  /** How inputs, masks and outputs map to plaintexts. */
  readonly encoding: Encoding;
  readonly inputCiphertexts: number;
  readonly outputCiphertexts: number;
  /** The most ciphertext × plaintext products summed into one output (for the noise bound). */
  readonly productsPerOutput: number;
  /**
   * log2 of a public bound on ‖p‖₁ (centred) of any plaintext p the server multiplies by: the
   * factor a product grows the noise by. A batched plaintext has N coefficients below n.
   */
  readonly plaintextNormBits: number;
  /** CLIENT: writes the N values of input ciphertext `index` (zeros where unused). */
  pack(x: Float64Array, index: number, values: Float64Array): void;
  /**
   * SERVER: output ciphertext `index` (coefficient form, top level) from the inputs, or null
   * when every weight it would use is zero. Temporaries go in `scope`.
   */
  evaluate(
    session: HeSession,
    inputs: ServerInputs,
    weights: Float64Array,
    index: number,
    scope: Scope,
  ): CipherText | null;
  /**
   * SERVER, coefficient plans: the products output ciphertext `index` sums (`evaluate` is
   * their sum), so the ring can take the sum as residues (protocols/ring-output.ts).
   */
  productTerms?(
    session: HeSession,
    inputs: ServerInputs,
    weights: Float64Array,
    index: number,
  ): ProductTerms;
  /**
   * SERVER, coefficient plans: one unit of `evaluate`'s work made ahead of its output (a
   * kernel plaintext), for the time the server waits for inputs; false when nothing more is
   * worth making ahead.
   */
  prepareAhead?(inputs: ServerInputs, weights: Float64Array): boolean;
  /** SERVER: frees what `evaluate` kept between outputs (if anything). */
  release?(): void;
  /** Both: scatters the N values of output ciphertext `index` into the layer's output. */
  extract(values: Float64Array, index: number, out: Float64Array): void;
  /** SERVER: the layer in the clear on its own share (Z_n). */
  local(x: Float64Array, weights: Float64Array): Float64Array;
  /** Elements of the layer's output. */
  readonly outputLength: number;
}

/** The noise bound of a batched plaintext: N coefficients below n. */
export const slotNormBits = (session: HeSession) =>
  Math.log2(SLOTS) + Math.log2(session.params.plainModulus);

/**
 * SERVER helper for plans: accumulates input × (slots encoded as a plaintext) in NTT form
 * into `acc` (created on first use), skipping all-zero plaintexts (they would give a
 * transparent ciphertext, which the throwing SEAL build rejects and which would leak).
 */
export function multiplyAccumulate(
  session: HeSession,
  acc: CipherText | null,
  input: CipherText,
  slots: Float64Array,
  scope: Scope,
): CipherText | null {
  let zero = true;
  for (let i = 0; i < slots.length; i++)
    if (slots[i] !== 0) {
      zero = false;
      break;
    }
  if (zero) return acc;
  const plain = session.encode(slots);
  try {
    session.evaluator.plainTransformToNtt(plain, session.firstParmsId, plain);
    return accumulateProduct(session, acc, input, plain, scope);
  } finally {
    plain.delete();
  }
}

/** acc + input × plain (both in NTT form, plain nonzero); `acc` is created on first use. */
function accumulateProduct(
  session: HeSession,
  acc: CipherText | null,
  input: CipherText,
  plain: PlainText,
  scope: Scope,
): CipherText {
  const { evaluator, seal } = session;
  if (!acc) {
    const first = scope.track(seal.CipherText());
    evaluator.multiplyPlain(input, plain, first);
    return first;
  }
  const product = seal.CipherText();
  evaluator.multiplyPlain(input, plain, product);
  evaluator.add(acc, product, acc);
  product.delete();
  return acc;
}

/**
 * Σ_k rot_{k·step}(Z_k) for terms added in decreasing k, Horner-style with lazy rotations:
 * acc ← rot_{(k_prev − k)·step}(acc) + Z_k, so zero terms (skipped diagonals) cost nothing and
 * the rotations total (max k)·step, each a power-of-two key switch per set bit.
 */
export class RotationSum {
  private acc: CipherText | null = null;
  private last = 0;

  constructor(
    private readonly session: HeSession,
    private readonly step: number,
  ) {}

  /** Adds rot_{k·step}(z); k must decrease from call to call. `z` becomes owned by the sum. */
  add(z: CipherText, k: number): void {
    if (!this.acc) this.acc = z;
    else {
      this.rotate(this.last - k);
      this.session.evaluator.add(this.acc, z, this.acc);
    }
    this.last = k;
  }

  /** The sum (null when no term was added). */
  finish(): CipherText | null {
    this.rotate(this.last);
    this.last = 0;
    return this.acc;
  }

  private rotate(k: number): void {
    const steps = (k * this.step) % ROW;
    if (this.acc && steps !== 0) this.session.rotateRows(this.acc, steps);
  }
}

/** Shared pre-I/O checks of every layer: lengths, and weights exactly on the server. */
export function checkShares(
  session: HeSession,
  x: Float64Array,
  length: number,
  what: string,
  weights: Float64Array | undefined,
  weightLength: number,
  weightWhat: string,
): void {
  if (!(x instanceof Float64Array) || x.length !== length)
    throw new HeShapeError(
      `${what} must be a Float64Array of ${length} field elements, got ${x?.length}`,
    );
  const server = session.party === 0;
  if (server && weights === undefined)
    throw new HeShapeError(`the SERVER must pass the ${weightWhat}`);
  if (!server && weights !== undefined)
    throw new HeShapeError(`the CLIENT must not pass ${weightWhat}: they belong to the server`);
  if (weights && (!(weights instanceof Float64Array) || weights.length !== weightLength))
    throw new HeShapeError(
      `${weightWhat} must be a Float64Array of ${weightLength} field elements, got ${weights.length}`,
    );
}
