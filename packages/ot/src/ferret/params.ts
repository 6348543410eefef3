/**
 * Ferret's LPN parameter sets (Yang–Weng–Lan–Zhang–Wang, CCS 2020, Table 2; the sets emp-ot
 * ships as `ferret_b13` and its bootstrap). Regular noise: t trees of 2^h leaves, n = t·2^h
 * outputs per round, from k reserved COTs encoded by a local linear code with d non-zeros
 * per row. Both sets are estimated at 128-bit security against the known LPN attacks in the
 * paper's analysis (Pooled Gauss, SD-ISD, low-weight parity check).
 */
import { OtError } from '../errors.js';

export interface FerretParams {
  readonly name: string;
  /** Outputs per round, t·2^h. */
  readonly n: number;
  /** Noise weight: trees per round. */
  readonly t: number;
  /** Tree depth: 2^h leaves per tree. */
  readonly h: number;
  /** LPN dimension: reserved COTs encoded per round. */
  readonly k: number;
  /** Non-zeros per row of the code. */
  readonly d: number;
}

/** Main rounds: n = 10,608,640, t = 1,295, k = 589,824, trees of 2^13 (128-bit LPN). */
export const FERRET_B13: FerretParams = {
  name: 'ferret-b13',
  n: 10_608_640,
  t: 1_295,
  h: 13,
  k: 589_824,
  d: 10,
};

/** The bootstrap round: n = 649,728, t = 1,269, k = 36,288, trees of 2^9 (128-bit LPN). */
export const FERRET_B13_BOOTSTRAP: FerretParams = {
  name: 'ferret-b13-bootstrap',
  n: 649_728,
  t: 1_269,
  h: 9,
  k: 36_288,
  d: 10,
};

/** COTs a round consumes: k for the code, one per tree level. */
export function reservedCots(p: FerretParams): number {
  return p.k + p.t * p.h;
}

/** COTs a round adds for the user once it has set aside the next round's reserve. */
export function usableCots(p: FerretParams): number {
  return p.n - reservedCots(p);
}

/** Rejects sets that do not fit together: n = t·2^h, and each round refills the next. */
export function checkParams(main: FerretParams, bootstrap: FerretParams): void {
  for (const p of [main, bootstrap]) {
    if (p.n !== p.t * 2 ** p.h || p.d < 1 || p.k < p.d || p.h < 1 || p.h > 24) {
      throw new OtError('BAD_N', `ferret: parameter set ${p.name} is not n = t·2^h with k ≥ d`);
    }
  }
  if (bootstrap.n < reservedCots(main) || usableCots(main) < 1) {
    throw new OtError('BAD_N', 'ferret: a round does not refill the next round’s reserve');
  }
}

/** The sets as 12 words, exchanged in the setup so a mismatch is caught before any round. */
export function encodeParams(main: FerretParams, bootstrap: FerretParams): Uint8Array {
  const words = [main, bootstrap].flatMap((p) => [p.n, p.t, p.h, p.k, p.d, 0]);
  return new Uint8Array(Uint32Array.from(words).buffer);
}
