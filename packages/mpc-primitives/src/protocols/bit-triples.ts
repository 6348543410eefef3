/**
 * Boolean AND triples: XOR shares of a, b and c = a ∧ b, two triples per 1-out-of-16 OT with
 * 2-bit messages (the generation CrypTFlow2 uses for the millionaires' tree).
 *
 * The server samples its shares (a0, b0, c0) of two triples and offers, for every possible
 * choice j = (a1, b1, a1', b1') of the client, the 2-bit message
 *   ((a0 ⊕ a1)(b0 ⊕ b1) ⊕ c0) ‖ ((a0' ⊕ a1')(b0' ⊕ b1') ⊕ c0');
 * the client chooses its own random shares as j and receives its c1 shares, so
 * c0 ⊕ c1 = (a0 ⊕ a1)(b0 ⊕ b1) and neither party learns the other's bits.
 *
 * On silent OT (Ferret) a triple costs two random bit OTs and no message at all (the
 * standard cross-term construction): in the OT where this party is sender with bits
 * (m0, m1), its a := m0 ⊕ m1 and u := m0, and the other party's choice is its b with
 * v := m_b, so u ⊕ v = a·b across the parties; one such OT each way gives both cross terms,
 * and c = a·b ⊕ u ⊕ v (own product, own pad, received bit). KK13's 2 triples per 1-out-of-16
 * stay for IKNP, where they are fewer bytes than 2 IKNP OTs per triple.
 */
import type { PartyContext } from '../context.js';
import { SERVER } from '../party.js';
import { randomBits } from '../random.js';
import { writeTripleRow } from './message-rows.js';

/** This party's XOR shares of `count` triples, one bit per byte. */
export interface BitTriples {
  a: Uint8Array;
  b: Uint8Array;
  c: Uint8Array;
}

/** Server side of the OT: the 16 messages for the triple pair (i, i+1). Pure. */
export function tripleMessages(a: Uint8Array, b: Uint8Array, c: Uint8Array): Uint8Array {
  const pairs = a.length / 2;
  const messages = new Uint8Array(pairs * 16);
  const words = new Uint32Array(messages.buffer);
  for (let p = 0; p < pairs; p++) {
    const i = 2 * p;
    writeTripleRow(words, p, [a[i]!, b[i]!, c[i]!], [a[i + 1]!, b[i + 1]!, c[i + 1]!]);
  }
  return messages;
}

/** Client side of the OT: its choice for the triple pair (i, i+1). Pure. */
export function tripleChoices(a: Uint8Array, b: Uint8Array): Uint8Array {
  const choices = new Uint8Array(a.length / 2);
  for (let p = 0; p < choices.length; p++) {
    const i = 2 * p;
    choices[p] = a[i]! | (b[i]! << 1) | (a[i + 1]! << 2) | (b[i + 1]! << 3);
  }
  return choices;
}

/**
 * Both cross terms of n triples from one random bit OT each way: this party's a (its sender
 * side's m0 ⊕ m1), b (its receiver side's choice) and u ⊕ v, the XOR of its shares of
 * a0·b1 and a1·b0. The server is sender first. No message beyond the OTs.
 */
async function crossTerms(ctx: PartyContext, n: number) {
  const { party, ot } = ctx;
  const sent = party === SERVER ? await ot.sendRandomBits(n) : undefined;
  const received = await ot.receiveRandomBits(n);
  const { m0, m1 } = sent ?? (await ot.sendRandomBits(n));
  const a = new Uint8Array(n);
  const cross = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = m0[i]! ^ m1[i]!;
    cross[i] = m0[i]! ^ received.m[i]!;
  }
  return { a, b: received.choices, cross };
}

/** `count` triples from random bit OTs (the silent path): c = a·b ⊕ u ⊕ v. */
async function bitTriplesFromRandomOts(ctx: PartyContext, count: number): Promise<BitTriples> {
  const { a, b, cross } = await crossTerms(ctx, count);
  const c = new Uint8Array(count);
  for (let i = 0; i < count; i++) c[i] = (a[i]! & b[i]!) ^ cross[i]!;
  return { a, b, c };
}

/**
 * Generates `count` bit triples: on silent OT from two random bit OTs each (no message), else
 * two per 1-out-of-16 OT (count rounded up to even internally). One OT round.
 */
export async function generateBitTriples(ctx: PartyContext, count: number): Promise<BitTriples> {
  const { party, ot } = ctx;
  if (count === 0) return { a: new Uint8Array(0), b: new Uint8Array(0), c: new Uint8Array(0) };
  if (ot.source === 'silent') return bitTriplesFromRandomOts(ctx, count);
  const even = count + (count & 1);
  const a = randomBits(even);
  const b = randomBits(even);
  let c: Uint8Array;
  if (party === SERVER) {
    c = randomBits(even);
    await ot.sendOneOfN(tripleMessages(a, b, c), 4, 2);
  } else {
    const received = await ot.receiveOneOfN(tripleChoices(a, b), 4, 2);
    c = new Uint8Array(even);
    for (let p = 0; p < received.length; p++) {
      c[2 * p] = received[p]! & 1;
      c[2 * p + 1] = received[p]! >>> 1;
    }
  }
  return { a: a.subarray(0, count), b: b.subarray(0, count), c: c.subarray(0, count) };
}

/** This party's XOR shares of pairs of triples sharing a: c = a ∧ b and c2 = a ∧ b2. */
export interface PairedBitTriples {
  a: Uint8Array;
  b: Uint8Array;
  c: Uint8Array;
  b2: Uint8Array;
  c2: Uint8Array;
}

/**
 * Server side: the 8 two-bit messages of each pair, indexed by the client's (a1, b1, b2_1):
 * ((a0 ⊕ a1)(b0 ⊕ b1) ⊕ c0) | ((a0 ⊕ a1)(b2_0 ⊕ b2_1) ⊕ c2_0) << 1. Pure.
 */
export function pairedTripleMessages(t: PairedBitTriples): Uint8Array {
  const messages = new Uint8Array(t.a.length * 8);
  for (let i = 0; i < t.a.length; i++) {
    for (let j = 0; j < 8; j++) {
      const a = t.a[i]! ^ (j & 1);
      const first = (a & (t.b[i]! ^ ((j >>> 1) & 1))) ^ t.c[i]!;
      const second = (a & (t.b2[i]! ^ (j >>> 2))) ^ t.c2[i]!;
      messages[i * 8 + j] = first | (second << 1);
    }
  }
  return messages;
}

/**
 * Pairs on silent OT from one 2-bit random OT each way and no message. Of a pair's four cross
 * terms, two multiply this party's a by the other's (b, b2), and both use a as the choice
 * bit: in the OT where this party receives, its choice is its a and it gets v = m_a; in the
 * OT where it sends, with messages (m0, m1), its (b, b2) := the two bits of m0 ⊕ m1 and its
 * pad is u = m0. Then u ⊕ v across the parties is a·(b, b2) of the other, bit by bit, and
 * c = a·b ⊕ u ⊕ v, c2 = a·b2 ⊕ u' ⊕ v' (the high bits). Two random OTs per pair where two
 * separate triples take four.
 */
async function pairedTriplesFromRandomOts(
  ctx: PartyContext,
  count: number,
): Promise<PairedBitTriples> {
  const { party, ot } = ctx;
  const sent = party === SERVER ? await ot.sendRandomBits(count, 2) : undefined;
  const received = await ot.receiveRandomBits(count, 2);
  const { m0, m1 } = sent ?? (await ot.sendRandomBits(count, 2));
  const a = received.choices;
  const [b, b2, c, c2] = [0, 1, 2, 3].map(() => new Uint8Array(count)) as [
    Uint8Array,
    Uint8Array,
    Uint8Array,
    Uint8Array,
  ];
  for (let i = 0; i < count; i++) {
    const others = m0[i]! ^ m1[i]!;
    const cross = m0[i]! ^ received.m[i]!;
    b[i] = others & 1;
    b2[i] = others >>> 1;
    c[i] = (a[i]! & b[i]!) ^ (cross & 1);
    c2[i] = (a[i]! & b2[i]!) ^ (cross >>> 1);
  }
  return { a, b, c, b2, c2 };
}

/**
 * Generates `count` pairs of triples sharing a (CrypTFlow2's correlated triples): one
 * 1-out-of-8 OT with 2-bit messages per pair, where two independent triples would take one
 * 1-out-of-16 OT per two triples — 34 B per pair instead of 36 B. On silent OT, from one
 * 2-bit random OT each way.
 */
export async function generatePairedBitTriples(
  ctx: PartyContext,
  count: number,
): Promise<PairedBitTriples> {
  const { party, ot } = ctx;
  if (ot.source === 'silent') return pairedTriplesFromRandomOts(ctx, count);
  const a = randomBits(count);
  const b = randomBits(count);
  const b2 = randomBits(count);
  if (party === SERVER) {
    const triples = { a, b, b2, c: randomBits(count), c2: randomBits(count) };
    await ot.sendOneOfN(pairedTripleMessages(triples), 3, 2);
    return triples;
  }
  const choices = new Uint8Array(count);
  for (let i = 0; i < count; i++) choices[i] = a[i]! | (b[i]! << 1) | (b2[i]! << 2);
  const received = await ot.receiveOneOfN(choices, 3, 2);
  return { a, b, b2, c: received.map((m) => m & 1), c2: received.map((m) => m >>> 1) };
}
