/**
 * Boolean AND triples: XOR shares of a, b and c = a ∧ b, two triples per 1-out-of-16 OT with
 * 2-bit messages (the generation CrypTFlow2 uses for the millionaires' tree).
 *
 * The server samples its shares (a0, b0, c0) of two triples and offers, for every possible
 * choice j = (a1, b1, a1', b1') of the client, the 2-bit message
 *   ((a0 ⊕ a1)(b0 ⊕ b1) ⊕ c0) ‖ ((a0' ⊕ a1')(b0' ⊕ b1') ⊕ c0');
 * the client chooses its own random shares as j and receives its c1 shares, so
 * c0 ⊕ c1 = (a0 ⊕ a1)(b0 ⊕ b1) and neither party learns the other's bits.
 */
import { type Party, SERVER } from '../party.js';
import { randomBits } from '../random.js';
import { copyRow, TRIPLE_ROWS } from './message-rows.js';
import type { OtPort } from './ot-port.js';

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
    const row =
      a[i]! | (b[i]! << 1) | (c[i]! << 2) | (a[i + 1]! << 3) | (b[i + 1]! << 4) | (c[i + 1]! << 5);
    copyRow(words, p, TRIPLE_ROWS, row);
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

/** Generates `count` bit triples (count is rounded up to even internally). One OT round. */
export async function generateBitTriples(
  party: Party,
  ot: OtPort,
  count: number,
): Promise<BitTriples> {
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
