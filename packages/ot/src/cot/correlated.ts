/**
 * Additively correlated OT over Z_2^ℓ (1 ≤ ℓ ≤ 64) from one global-Δ COT each, Cheetah's
 * "COT of ℓ bits" at ℓ + 1 bits per OT (plus the COT): the semantics of
 * `IknpSender.correlatedOt(deltas, ell, 'add')`. The receiver, choosing c_j, sends
 * d_j = c_j ⊕ b_j (1 bit); the sender's random message is m0 = H(K_j ⊕ d_j·Δ), the value the
 * receiver's H(M_j) equals when c_j = 0, and it sends y_j = m0 + δ_j − H(K_j ⊕ ¬d_j·Δ)
 * (ℓ bits); the receiver outputs H(M_j) + c_j·y_j = m0 + c_j·δ_j. H is the correlation-robust
 * π(x) ⊕ x cut to its low ℓ bits, as in IKNP.
 *
 * Wire per call of n OTs: ⌈n/8⌉ bytes up, then ⌈n·ℓ/8⌉ bytes down.
 */
import { crHashValues } from '../aes.js';
import { OtError, requireChoices, requireWidth } from '../errors.js';
import { packBits, packValues, unpackValues, wordsPerValue } from '../kernels/pack.js';
import { ringAddInto, ringSubInto } from '../kernels/ring.js';
import type { CotReceiver, CotSender } from './cot.js';

/** SENDER: OT j carries δ_j (project layout, reduced); returns the random m0 per OT. */
export async function cotCorrelatedSend(
  cot: CotSender,
  deltas: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  requireWidth(ell, 64, 'cot correlated');
  const wpv = wordsPerValue(ell);
  const n = deltas.length / wpv;
  if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'cot correlated: deltas length');
  const keys = await cot.next(n);
  const flips = await cot.channel.recv(Math.ceil(n / 8), 'cot correlated: choice flips');
  const h0 = crHashValues(keys, undefined, n, ell);
  const h1 = crHashValues(keys, cot.delta, n, ell);
  // Swap per OT so that h0 holds H(K ⊕ d·Δ) = m0 and h1 the other pad.
  for (let j = 0; j < n; j++) {
    if ((flips[j >>> 3]! >>> (j & 7)) & 1) {
      for (let w = j * wpv; w < (j + 1) * wpv; w++) {
        const x = h0[w]!;
        h0[w] = h1[w]!;
        h1[w] = x;
      }
    }
  }
  const y = new Uint32Array(n * wpv);
  ringAddInto(y, h0, deltas, ell);
  ringSubInto(y, y, h1, ell);
  await cot.channel.send(packValues(y, n, ell));
  return h0;
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
  const { choices: b, macs } = await cot.next(n);
  const flips = new Uint8Array(n);
  for (let j = 0; j < n; j++) flips[j] = choices[j]! ^ b[j]!;
  await cot.channel.send(packBits(flips));
  const y = unpackValues(
    await cot.channel.recv(Math.ceil((n * ell) / 8), 'cot correlated: corrections'),
    n,
    ell,
  );
  for (let j = 0; j < n; j++) {
    if (!choices[j]) for (let w = j * wpv; w < (j + 1) * wpv; w++) y[w] = 0;
  }
  const out = crHashValues(macs, undefined, n, ell);
  ringAddInto(out, out, y, ell);
  return out;
}
