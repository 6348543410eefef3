/**
 * Random bit OT from one global-Δ COT each, with no message: the sender's bits are
 * m0 = lsb H(K_j) and m1 = lsb H(K_j ⊕ Δ), the receiver's choice is the COT's b_j and its bit
 * lsb H(M_j) = m_{b_j}. What AND triples take two of (one each way). Every bit comes from its
 * own COT's hash: several bits of one hash output used for several triples would be fine for
 * the sender's pair but would tie those triples to one choice bit.
 *
 * Wire: nothing beyond the COTs.
 */
import { crHashValues } from '../aes.js';
import { requireCount } from '../errors.js';
import type { CotReceiver, CotSender } from './cot.js';

function lowBits(values: Uint32Array): Uint8Array {
  return Uint8Array.from(values);
}

/** SENDER: n random bit OTs, both bits of each (one 0/1 byte per OT). */
export async function cotRandomBitOtSend(
  cot: CotSender,
  n: number,
): Promise<{ m0: Uint8Array; m1: Uint8Array }> {
  requireCount(n, 'cot randomBitOt');
  const keys = await cot.next(n);
  return {
    m0: lowBits(crHashValues(keys, undefined, n, 1)),
    m1: lowBits(crHashValues(keys, cot.delta, n, 1)),
  };
}

/** RECEIVER: n random bit OTs: the random choice bits and the chosen bits. */
export async function cotRandomBitOtReceive(
  cot: CotReceiver,
  n: number,
): Promise<{ choices: Uint8Array; m: Uint8Array }> {
  requireCount(n, 'cot randomBitOt');
  const { choices, macs } = await cot.next(n);
  return { choices, m: lowBits(crHashValues(macs, undefined, n, 1)) };
}
