/**
 * OT built on any global-Δ COT source (IKNP or Ferret), as emp-toolkit and mpz users expect:
 *   random OT:  m0 = H(K_j), m1 = H(K_j ⊕ Δ); the receiver gets H(M_j) = m_{b_j}. No message.
 *   chosen OT:  the receiver sends d_j = c_j ⊕ b_j (1 bit, ./derandomise.ts); the sender
 *               sends m0 ⊕ H(K_j ⊕ d_j·Δ) and m1 ⊕ H(K_j ⊕ ¬d_j·Δ) (2ℓ bits); the
 *               receiver unmasks m_{c_j} with H(M_j).
 * H is the tweakable H(i, x) = π(π(x) ⊕ i) ⊕ π(x) (low ℓ bits for ℓ-bit values), i the COT's
 * index in its source (./cot.ts), as in IKNP: see ./derandomise.ts for why the tweak.
 */
import { tccrHashMasked } from '../aes.js';
import { requireChoices, requireLength, requireWidth } from '../errors.js';
import { packedBytes, packValues, unpackValues, wordsPerValue } from '../kernels/pack.js';
import type { CotReceiver, CotSender } from './cot.js';
import { derandomisedPad, derandomisedPads } from './derandomise.js';

/** SENDER: n random OTs, both 16-byte pads of each. */
export async function cotRandomOtSend(
  cot: CotSender,
  n: number,
): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
  const first = cot.tweak;
  const keys = await cot.next(n);
  return { m0: tccrHashMasked(keys, undefined, first), m1: tccrHashMasked(keys, cot.delta, first) };
}

/** RECEIVER: n random OTs, the random choice bits and the chosen pads. */
export async function cotRandomOtReceive(
  cot: CotReceiver,
  n: number,
): Promise<{ choices: Uint8Array; m: Uint8Array }> {
  const first = cot.tweak;
  const { choices, macs } = await cot.next(n);
  return { choices, m: tccrHashMasked(macs, undefined, first) };
}

/** SENDER: chosen-message OT of ℓ-bit values (1 ≤ ℓ ≤ 64, project layout). */
export async function cotChosenOtSend(
  cot: CotSender,
  m0: Uint32Array,
  m1: Uint32Array,
  ell: number,
): Promise<void> {
  requireWidth(ell, 64, 'cot chosenOt');
  const n = m0.length / wordsPerValue(ell);
  requireLength(m1.length, m0.length, 'cot chosenOt: m1');
  const [pad0, pad1] = await derandomisedPads(cot, n, ell, 'cot chosenOt');
  for (let w = 0; w < pad0.length; w++) {
    pad0[w] = (pad0[w]! ^ m0[w]!) >>> 0;
    pad1[w] = (pad1[w]! ^ m1[w]!) >>> 0;
  }
  const out = new Uint8Array(2 * packedBytes(n, ell));
  out.set(packValues(pad0, n, ell));
  out.set(packValues(pad1, n, ell), packedBytes(n, ell));
  await cot.channel.send(out);
}

/** RECEIVER: chosen-message OT; returns m_{c_j} per OT. */
export async function cotChosenOtReceive(
  cot: CotReceiver,
  choices: Uint8Array,
  ell: number,
): Promise<Uint32Array> {
  requireWidth(ell, 64, 'cot chosenOt');
  requireChoices(choices, 2, 'cot chosenOt');
  const n = choices.length;
  const wpv = wordsPerValue(ell);
  const out = await derandomisedPad(cot, choices, ell);
  const half = packedBytes(n, ell);
  const reply = await cot.channel.recv(2 * half, 'cot chosenOt: masked messages');
  const y0 = unpackValues(reply.subarray(0, half), n, ell);
  const y1 = unpackValues(reply.subarray(half), n, ell);
  // Both messages read and one kept by mask: no branch or address depends on the choice.
  for (let j = 0; j < n; j++) {
    const m = -choices[j]!;
    for (let w = j * wpv; w < (j + 1) * wpv; w++)
      out[w] = (out[w]! ^ (y0[w]! & ~m) ^ (y1[w]! & m)) >>> 0;
  }
  return out;
}
