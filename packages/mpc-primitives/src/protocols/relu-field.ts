/**
 * ReLU over a prime field (CrypTFlow2's Π_ReLU^{ring,n}, the HE backend's activations):
 * ReLU(x) = DReLU(x) · x for x in the signed view of Z_n, one field DReLU and one multiplexer.
 */
import type { Channel } from '@secinfer/transport';
import type { Field } from '../field.js';
import type { Party } from '../party.js';
import { dreluField } from './drelu-field.js';
import { muxField } from './mux-field.js';
import type { OtPort } from './ot-port.js';

/** Additive shares mod n of max(x, 0), x additively shared in Z_n (signed view). */
export async function reluField(
  party: Party,
  channel: Channel,
  ot: OtPort,
  shares: Float64Array,
  f: Field,
): Promise<Float64Array> {
  const positive = await dreluField(party, channel, ot, shares, f.n);
  return muxField(party, ot, positive, shares, f);
}
