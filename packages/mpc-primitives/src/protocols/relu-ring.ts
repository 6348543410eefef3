/**
 * ReLU over Z_2^ℓ (CrypTFlow2's Π_ReLU^{int,ℓ}): ReLU(x) = DReLU(x) · x, one DReLU and one
 * multiplexer, on additive shares of signed ℓ-bit values.
 */
import type { Channel } from '@secinfer/transport';
import type { Party } from '../party.js';
import { dreluRing } from './drelu-ring.js';
import { mux } from './mux.js';
import type { OtPort } from './ot-port.js';

/** Additive shares of max(x, 0) for additively shared signed ℓ-bit x. */
export async function reluRing(
  party: Party,
  channel: Channel,
  ot: OtPort,
  shares: Uint32Array,
  ell: number,
): Promise<Uint32Array> {
  const positive = await dreluRing(party, channel, ot, shares, ell);
  return mux(party, ot, positive, shares, ell);
}
