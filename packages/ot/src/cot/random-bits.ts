/**
 * Random OT of short messages (1 to 8 bits) from one global-Δ COT each, with no message: the
 * sender's messages are m0 = H(i, K_j) and m1 = H(i, K_j ⊕ Δ) cut to `bits` bits, i the COT's
 * index in its source (the tweak of ./derandomise.ts), the receiver's choice is the COT's b_j
 * and its message H(i, M_j) = m_{b_j}. AND triples take 1-bit ones (one
 * each way per triple); a pair of triples sharing one operand takes one 2-bit OT each way,
 * because both of the pair's cross terms with that operand share its choice bit. Triples
 * that share nothing must each take their own OT: bits of one hash output used for several
 * would tie those triples to one choice bit.
 *
 * Wire: nothing beyond the COTs.
 */
import { tccrHashValues } from '../aes.js';
import { OtError, requireCount } from '../errors.js';
import type { CotReceiver, CotSender } from './cot.js';

function asBytes(values: Uint32Array): Uint8Array {
  return Uint8Array.from(values);
}

function requireBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < 1 || bits > 8)
    throw new OtError('BAD_WIDTH', `random OT messages must have 1..8 bits, got ${bits}`);
}

/** SENDER: n random OTs of `bits`-bit messages (default 1), both messages of each, a byte each. */
export async function cotRandomBitOtSend(
  cot: CotSender,
  n: number,
  bits = 1,
): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
  requireCount(n, 'cot randomBitOt');
  requireBits(bits);
  const first = cot.tweak;
  const keys = await cot.next(n);
  return {
    m0: asBytes(tccrHashValues(keys, undefined, n, bits, first)),
    m1: asBytes(tccrHashValues(keys, cot.delta, n, bits, first)),
  };
}

/** RECEIVER: n random OTs of `bits`-bit messages: the random choice bits and the chosen messages. */
export async function cotRandomBitOtReceive(
  cot: CotReceiver,
  n: number,
  bits = 1,
): Promise<{ choices: Uint8Array; m: Uint8Array }> {
  requireCount(n, 'cot randomBitOt');
  requireBits(bits);
  const first = cot.tweak;
  const { choices, macs } = await cot.next(n);
  return { choices, m: asBytes(tccrHashValues(macs, undefined, n, bits, first)) };
}
