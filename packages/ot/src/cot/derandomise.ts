/**
 * Derandomising a random COT to the receiver's own choice c_j, the step chosen-message and
 * correlated OT on COT share: the receiver sends d_j = c_j ⊕ b_j (one bit per OT, packed);
 * the sender's two ℓ-bit pads, H(K_j ⊕ d_j·Δ) and H(K_j ⊕ ¬d_j·Δ), are then ordered so that
 * pad c is H(M_j), the one the receiver holds when it chose c. Wire: ⌈n/8⌉ bytes, receiver
 * to sender.
 *
 * H is the tweakable hash H(i, x) = π(π(x) ⊕ i) ⊕ π(x) cut to its low ℓ bits, i the COT's
 * index in its source (./cot.ts), as IKNP tweaks with its OT index (Guo–Katz–Wang–Yu,
 * "Efficient and secure multiparty computation from fixed-key block ciphers", S&P 2020). Why
 * the tweak: the receiver holds M_j and wants H(M_j ⊕ Δ), the pad it did not choose, for
 * many j under one Δ. The plain π(x) ⊕ x is correlation-robust, but over n such queries an
 * attacker who guesses Δ checks each guess against all n at once, a search ~2^128 / n;
 * across calls n grows with the session. With a distinct tweak per COT every pad is a
 * different function of its input, and their bound in the random-permutation model holds
 * with one query per tweak, whatever n. The index runs on across calls and is never reused
 * (the source counts it on both sides), so two calls on identical COT values still get
 * independent pads.
 */
import { tccrHashValues } from '../aes.js';
import { packBits, wordsPerValue } from '../kernels/pack.js';
import type { CotReceiver, CotSender } from './cot.js';

/** SENDER: n COTs and the receiver's flips; returns [pad for c = 0, pad for c = 1] per OT. */
export async function derandomisedPads(
  cot: CotSender,
  n: number,
  ell: number,
  what: string,
): Promise<[Uint32Array, Uint32Array]> {
  const wpv = wordsPerValue(ell);
  const first = cot.tweak;
  const keys = await cot.next(n);
  const flips = await cot.channel.recv(Math.ceil(n / 8), `${what}: choice flips`);
  const pad0 = tccrHashValues(keys, undefined, n, ell, first);
  const pad1 = tccrHashValues(keys, cot.delta, n, ell, first);
  for (let j = 0; j < n; j++) {
    if (!((flips[j >>> 3]! >>> (j & 7)) & 1)) continue;
    for (let w = j * wpv; w < (j + 1) * wpv; w++) {
      const x = pad0[w]!;
      pad0[w] = pad1[w]!;
      pad1[w] = x;
    }
  }
  return [pad0, pad1];
}

/** RECEIVER: n COTs, the flips to `choices` sent; returns H(M_j), the pad of c_j, per OT. */
export async function derandomisedPad(
  cot: CotReceiver,
  choices: Uint8Array,
  ell: number,
): Promise<Uint32Array> {
  const n = choices.length;
  const first = cot.tweak;
  const { choices: b, macs } = await cot.next(n);
  const flips = new Uint8Array(n);
  for (let j = 0; j < n; j++) flips[j] = choices[j]! ^ b[j]!;
  await cot.channel.send(packBits(flips));
  return tccrHashValues(macs, undefined, n, ell, first);
}
