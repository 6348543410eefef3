/**
 * AND of XOR-shared bits with Beaver triples: both parties open e = x ⊕ a and f = y ⊕ b
 * (masked by the triple, so they reveal nothing), then locally
 *   z = c ⊕ (e ∧ b) ⊕ (f ∧ a) ⊕ [server only] (e ∧ f).
 * Two ANDs with the same left input x use a paired triple (a shared): e is opened once, so a
 * pair costs 3 bits each way instead of 4. One simultaneous exchange per batch, whatever its size.
 */
import type { PartyContext } from '../context.js';
import { packBits, unpackBits } from '../pack.js';
import { SERVER } from '../party.js';
import type { BitTriples, PairedBitTriples } from './bit-triples.js';

/** ANDs x ∧ y with single triples [offset, offset + x.length). */
export interface SingleAnds {
  x: Uint8Array;
  y: Uint8Array;
  triples: BitTriples;
  offset: number;
}

/** ANDs x ∧ y1 and x ∧ y2 with paired triples [offset, offset + x.length). */
export interface PairedAnds {
  x: Uint8Array;
  y1: Uint8Array;
  y2: Uint8Array;
  triples: PairedBitTriples;
  offset: number;
}

const NO_PAIRS: PairedAnds = {
  x: new Uint8Array(0),
  y1: new Uint8Array(0),
  y2: new Uint8Array(0),
  triples: {
    a: new Uint8Array(0),
    b: new Uint8Array(0),
    c: new Uint8Array(0),
    b2: new Uint8Array(0),
    c2: new Uint8Array(0),
  },
  offset: 0,
};

/** One exchange for a batch of single and paired ANDs: shares of x ∧ y, x ∧ y1 and x ∧ y2. */
export async function andBatch(
  ctx: PartyContext,
  single: SingleAnds,
  paired: PairedAnds = NO_PAIRS,
): Promise<{ single: Uint8Array; first: Uint8Array; second: Uint8Array }> {
  const { party, channel } = ctx;
  const ns = single.x.length;
  const np = paired.x.length;
  const t = single.triples;
  const p = paired.triples;
  const [so, po] = [single.offset, paired.offset];
  // Opened bits: e and f of the singles, then e, f1 and f2 of the pairs.
  const opened = new Uint8Array(2 * ns + 3 * np);
  for (let i = 0; i < ns; i++) {
    opened[i] = single.x[i]! ^ t.a[so + i]!;
    opened[ns + i] = single.y[i]! ^ t.b[so + i]!;
  }
  const at = 2 * ns;
  for (let i = 0; i < np; i++) {
    opened[at + i] = paired.x[i]! ^ p.a[po + i]!;
    opened[at + np + i] = paired.y1[i]! ^ p.b[po + i]!;
    opened[at + 2 * np + i] = paired.y2[i]! ^ p.b2[po + i]!;
  }
  await channel.send(packBits(opened));
  const theirs = unpackBits(
    await channel.recv(Math.ceil(opened.length / 8), 'AND openings'),
    opened.length,
  );
  const open = (k: number) => opened[k]! ^ theirs[k]!;
  const server = party === SERVER ? 1 : 0;
  const result = {
    single: new Uint8Array(ns),
    first: new Uint8Array(np),
    second: new Uint8Array(np),
  };
  for (let i = 0; i < ns; i++) {
    const [e, f] = [open(i), open(ns + i)];
    result.single[i] = t.c[so + i]! ^ (e & t.b[so + i]!) ^ (f & t.a[so + i]!) ^ (e & f & server);
  }
  for (let i = 0; i < np; i++) {
    const [e, f1, f2] = [open(at + i), open(at + np + i), open(at + 2 * np + i)];
    const a = p.a[po + i]!;
    result.first[i] = p.c[po + i]! ^ (e & p.b[po + i]!) ^ (f1 & a) ^ (e & f1 & server);
    result.second[i] = p.c2[po + i]! ^ (e & p.b2[po + i]!) ^ (f2 & a) ^ (e & f2 & server);
  }
  return result;
}

/** XOR shares of x ∧ y, elementwise, consuming triples [offset, offset + x.length). */
export async function andShares(
  ctx: PartyContext,
  x: Uint8Array,
  y: Uint8Array,
  triples: BitTriples,
  offset = 0,
): Promise<Uint8Array> {
  return (await andBatch(ctx, { x, y, triples, offset })).single;
}
