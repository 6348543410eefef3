// The two share domains of the secure executor: Z_2^ℓ (backend `ot`, CrypTFlow2's SCI_OT) and
// the prime field Z_p of the same ℓ (backend `he`, SCI_HE, where BFV's plaintext space is the
// field and every non-linear layer runs over it too). The executor is written once against
// this interface; each domain maps its operations to the mpc-primitives protocols.
import {
  divField,
  divRing,
  type Field,
  field,
  fieldAdd,
  fieldFromSigned,
  fieldMulPublic,
  fieldRevealTo,
  fieldSub,
  fieldToSigned,
  maxPairs,
  type Party,
  type PartyContext,
  type Ring,
  reluField,
  reluRing,
  ring,
  ringAdd,
  ringFromSigned,
  ringMulPublic,
  ringRevealTo,
  ringSub,
  ringToSigned,
  trunc,
  truncApproximate,
  truncApproximateNonNegative,
  truncField,
  truncFieldNonNegative,
  truncFieldSupports,
  truncNonNegative,
} from '@secinfer/mpc-primitives';
import { SessionError } from '../errors.js';
import type { TruncationMode } from './session.js';

/** What every protocol call needs (mpc-primitives' context: party, channel and OT). */
export type { PartyContext };

/** Additive shares: Uint32Array words in the ring layout, or Float64Array field elements. */
export type Shares = Uint32Array | Float64Array;

/** Arithmetic and protocols on one kind of additive shares. */
export interface ShareDomain<S extends Shares> {
  readonly kind: 'ring' | 'field';
  readonly ell: number;
  /** Array slots per element (2 for ℓ > 32 in the ring, else 1). */
  readonly words: number;
  zeros(n: number): S;
  /** Public signed integers as domain elements. */
  fromSigned(values: ArrayLike<number>): S;
  toSigned(x: S): Float64Array;
  add(a: S, b: S): S;
  sub(a: S, b: S): S;
  /** x · c for a public integer c (local). */
  mulPublic(x: S, c: number): S;
  relu(ctx: PartyContext, x: S): Promise<S>;
  /** ⌊x / 2^bits⌋; `nonNegative` promises x ≥ 0 (a cheaper protocol where the domain has one). */
  trunc(ctx: PartyContext, x: S, bits: number, nonNegative: boolean): Promise<S>;
  /** ⌊x / d⌋ for a public positive integer d. */
  div(ctx: PartyContext, x: S, d: number): Promise<S>;
  /** Elementwise max(a, b). */
  max(ctx: PartyContext, a: S, b: S): Promise<S>;
  /** Opens x to `to`: `to` gets the signed values, the other party null. */
  reveal(ctx: PartyContext, x: S, to: Party): Promise<Float64Array | null>;
}

/** Z_2^ℓ over CrypTFlow2's ring protocols; `approximate` opts into the one-bit-error truncation. */
export function ringDomain(
  ell: number,
  truncation: TruncationMode = 'faithful',
): ShareDomain<Uint32Array> {
  const r: Ring = ring(ell);
  const [signedTrunc, nonNegativeTrunc] =
    truncation === 'approximate'
      ? [truncApproximate, truncApproximateNonNegative]
      : [trunc, truncNonNegative];
  return {
    kind: 'ring',
    ell,
    words: r.words,
    zeros: (n) => new Uint32Array(n * r.words),
    fromSigned: (values) => ringFromSigned(r, values),
    toSigned: (x) => ringToSigned(r, x),
    add: (a, b) => ringAdd(r, a, b),
    sub: (a, b) => ringSub(r, a, b),
    mulPublic: (x, c) => ringMulPublic(r, x, c),
    relu: (ctx, x) => reluRing(ctx, x, ell),
    trunc: (ctx, x, bits, nonNegative) =>
      (nonNegative ? nonNegativeTrunc : signedTrunc)(ctx, x, ell, bits),
    div: (ctx, x, d) => divRing(ctx, x, ell, d),
    max: async (ctx, a, b) => (await maxPairs(ctx, a, b, ell)).max,
    reveal: async (ctx, x, to) => {
      const opened = await ringRevealTo(ctx, r, x, to);
      return opened && ringToSigned(r, opened);
    },
  };
}

/**
 * Z_p over the field protocols. Truncation is the exact floor division by 2^s: truncField
 * (two comparisons; one after a ReLU, truncFieldNonNegative) wherever p ≡ 1 mod 2^(s+1) —
 * every scale our two primes allow but s = 17 at ℓ = 37 — else the general division;
 * max(a, b) = b + ReLU(a − b).
 */
export function fieldDomain(
  ell: number,
  prime: number,
  truncation: TruncationMode = 'faithful',
): ShareDomain<Float64Array> {
  if (truncation !== 'faithful') {
    throw new SessionError(
      'truncation',
      'approximate truncation runs over Z_2^ℓ only; the field backend truncates faithfully',
    );
  }
  const f: Field = field(prime);
  const relu = (ctx: PartyContext, x: Float64Array) => reluField(ctx, x, f);
  const div = (ctx: PartyContext, x: Float64Array, d: number) => divField(ctx, x, f, d);
  return {
    kind: 'field',
    ell,
    words: 1,
    zeros: (n) => new Float64Array(n),
    fromSigned: (values) => fieldFromSigned(f, values),
    toSigned: (x) => fieldToSigned(f, x),
    add: (a, b) => fieldAdd(f, a, b),
    sub: (a, b) => fieldSub(f, a, b),
    mulPublic: (x, c) => fieldMulPublic(f, x, c),
    relu,
    trunc: (ctx, x, bits, nonNegative) =>
      truncFieldSupports(prime, bits)
        ? (nonNegative ? truncFieldNonNegative : truncField)(ctx, x, f, bits)
        : divField(ctx, x, f, 2 ** bits),
    div,
    max: async (ctx, a, b) => fieldAdd(f, b, await relu(ctx, fieldSub(f, a, b))),
    reveal: async (ctx, x, to) => {
      const opened = await fieldRevealTo(ctx, f, x, to);
      return opened && fieldToSigned(f, opened);
    },
  };
}
