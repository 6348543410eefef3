/**
 * What the protocols of this package need from oblivious transfer, as an interface (a port,
 * in the mpz sense): the protocols run unchanged on the real OT stack (@secinfer/ot) or, in
 * tests of the layers above, on an ideal functionality. One port per party; it may act as
 * sender or receiver, and the two parties must call matching operations in the same order.
 */
import type { VectorCotOutput, VectorCotShape } from '@secinfer/ot';
import { ParameterError } from '../errors.js';
import type { Field } from '../field.js';

/** This party's access to 1-out-of-N OT (N = 2^logN ≤ 256) of short messages (≤ 8 bits). */
export interface OtPort {
  /**
   * Where the OTs come from (IKNP and KK13, Ferret silent COT, or the ideal functionality):
   * a protocol with two constructions picks the one that costs less on it.
   */
  readonly source: 'iknp' | 'silent' | 'ideal';
  /**
   * Sender side of `messages.length / 2^logN` OTs: OT i offers `messages[i·N + k]`,
   * k < N, each below 2^bits.
   */
  sendOneOfN(messages: Uint8Array, logN: number, bits: number): Promise<void>;
  /** Receiver side: OT i chooses `choices[i] < 2^logN`; returns the chosen messages. */
  receiveOneOfN(choices: Uint8Array, logN: number, bits: number): Promise<Uint8Array>;
  /**
   * Sender side of additively correlated 1-out-of-2 OTs over Z_2^ℓ (`deltas` in the project's
   * Z_2^ℓ layout): returns this side's random m0; the receiver gets m0 + c·Δ mod 2^ℓ.
   */
  sendCorrelated(deltas: Uint32Array, ell: number): Promise<Uint32Array>;
  /** Receiver side: OT i chooses `choices[i]` ∈ {0, 1}; returns m0 + c·Δ mod 2^ℓ. */
  receiveCorrelated(choices: Uint8Array, ell: number): Promise<Uint32Array>;
  /** The same over a prime field: returns this side's random m0 ∈ Z_n; the receiver gets m0 + c·Δ mod n. */
  sendCorrelatedField(deltas: Float64Array, f: Field): Promise<Float64Array>;
  /** Receiver side over a prime field: returns m0 + c·Δ mod n. */
  receiveCorrelatedField(choices: Uint8Array, f: Field): Promise<Float64Array>;
  /**
   * Sender side of n random OTs of `bits`-bit messages (1..8, default 1) with no message:
   * both random messages of each, a byte each. Each OT has its own random choice bit.
   */
  sendRandomBits(n: number, bits?: number): Promise<{ m0: Uint8Array; m1: Uint8Array }>;
  /** Receiver side: the random choice bits and the chosen messages. */
  receiveRandomBits(n: number, bits?: number): Promise<{ choices: Uint8Array; m: Uint8Array }>;
  /**
   * Sender side of vector correlated OT (the linear layers'): OT j carries row `rows[j]` of
   * `deltas` (k values) reduced mod 2^{w_j}; `output` gets this side's random m0 vectors.
   */
  sendVectorCorrelated(
    deltas: Uint32Array,
    rows: Uint32Array,
    shape: VectorCotShape,
    output: VectorCotOutput,
  ): Promise<void>;
  /** Receiver side: OT j chooses `choices[j]` ∈ {0, 1}; `output` gets m0 + c·Δ mod 2^{w_j}. */
  receiveVectorCorrelated(
    choices: Uint8Array,
    shape: VectorCotShape,
    output: VectorCotOutput,
  ): Promise<void>;
}

/** Random OT messages are 1..8 bits (a byte each). */
export function requireMessageBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 8)
    throw new ParameterError(`random OT messages must have 1..8 bits, got ${bits}`);
}
