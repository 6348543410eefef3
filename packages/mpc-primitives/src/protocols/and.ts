/**
 * AND of XOR-shared bits with Beaver triples: both parties open e = x ⊕ a and f = y ⊕ b
 * (masked by the triple, so they reveal nothing), then locally
 *   z = c ⊕ (e ∧ b) ⊕ (f ∧ a) ⊕ [server only] (e ∧ f).
 * One simultaneous exchange of 2 bits per AND in each direction, whatever the batch size.
 */
import type { Channel } from '@secinfer/transport';
import { packBits, unpackBits } from '../pack.js';
import { type Party, SERVER } from '../party.js';
import type { BitTriples } from './bit-triples.js';

/** XOR shares of x ∧ y, elementwise, consuming triples [offset, offset + x.length). */
export async function andShares(
  party: Party,
  channel: Channel,
  x: Uint8Array,
  y: Uint8Array,
  triples: BitTriples,
  offset = 0,
): Promise<Uint8Array> {
  const n = x.length;
  const a = triples.a.subarray(offset, offset + n);
  const b = triples.b.subarray(offset, offset + n);
  const c = triples.c.subarray(offset, offset + n);
  const opened = new Uint8Array(2 * n); // e then f
  for (let i = 0; i < n; i++) {
    opened[i] = x[i]! ^ a[i]!;
    opened[n + i] = y[i]! ^ b[i]!;
  }
  await channel.send(packBits(opened));
  const theirs = unpackBits(await channel.recv(Math.ceil((2 * n) / 8), 'AND openings'), 2 * n);
  const z = new Uint8Array(n);
  const serverTerm = party === SERVER ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const e = opened[i]! ^ theirs[i]!;
    const f = opened[n + i]! ^ theirs[n + i]!;
    z[i] = c[i]! ^ (e & b[i]!) ^ (f & a[i]!) ^ (e & f & serverTerm);
  }
  return z;
}
