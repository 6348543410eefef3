/**
 * Additively correlated OT over Z_2^ℓ (1 ≤ ℓ ≤ 64) from one global-Δ COT each, Cheetah's
 * "COT of ℓ bits" at ℓ + 1 bits per OT (plus the COT): the semantics of
 * `IknpSender.correlatedOt(deltas, ell, 'add')`. The receiver, choosing c_j, sends
 * d_j = c_j ⊕ b_j (1 bit, ./derandomise.ts); the sender's random message is m0 = H(K_j ⊕ d_j·Δ), the value the
 * receiver's H(M_j) equals when c_j = 0, and it sends y_j = m0 + δ_j − H(K_j ⊕ ¬d_j·Δ)
 * (ℓ bits); the receiver outputs H(M_j) + c_j·y_j = m0 + c_j·δ_j. H is the tweakable hash
 * of ./derandomise.ts, tweaked with the COT's index in its source, cut to its low ℓ bits.
 *
 * Wire per call of n OTs: ⌈n/8⌉ bytes up, then ⌈n·ℓ/8⌉ bytes down.
 */
import { OtError, requireChoices, requireWidth } from '../errors.js';
import { packValues, unpackValues, wordsPerValue } from '../kernels/pack.js';
import { ringAddInto, ringSubInto } from '../kernels/ring.js';
import type { CotReceiver, CotSender } from './cot.js';
import { derandomisedPad, derandomisedPads } from './derandomise.js';

/** SENDER: OT j carries δ_j (project layout, reduced); returns the random m0 per OT. */
export async function cotCorrelatedSend(
  cot: CotSender,
  deltas: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  requireWidth(ell, 64, 'cot correlated');
  const n = deltas.length / wordsPerValue(ell);
  if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'cot correlated: deltas length');
  const [m0, other] = await derandomisedPads(cot, n, ell, 'cot correlated');
  const y = new Uint32Array(m0.length);
  ringAddInto(y, m0, deltas, ell);
  ringSubInto(y, y, other, ell);
  await cot.channel.send(packValues(y, n, ell));
  return m0;
}

/** RECEIVER: OT j chooses c_j ∈ {0, 1}; returns m0 + c_j·δ_j mod 2^ℓ. */
export async function cotCorrelatedReceive(
  cot: CotReceiver,
  choices: Uint8Array,
  ell: number,
): Promise<Uint32Array> {
  requireWidth(ell, 64, 'cot correlated');
  requireChoices(choices, 2, 'cot correlated');
  const n = choices.length;
  const wpv = wordsPerValue(ell);
  const out = await derandomisedPad(cot, choices, ell);
  const y = unpackValues(
    await cot.channel.recv(Math.ceil((n * ell) / 8), 'cot correlated: corrections'),
    n,
    ell,
  );
  for (let j = 0; j < n; j++) {
    if (!choices[j]) for (let w = j * wpv; w < (j + 1) * wpv; w++) y[w] = 0;
  }
  ringAddInto(out, out, y, ell);
  return out;
}
