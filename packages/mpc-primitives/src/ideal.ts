/**
 * @secinfer/mpc-primitives/ideal — an ideal OT functionality, for testing protocols built on
 * this package (here and in other projects) without the cost of real OT: a trusted party in
 * memory hands each receiver the message it chose, or m0 + c·Δ for correlated OT. It checks
 * that the two parties agree on each call (count, N, widths) as the real stack would, and
 * moves no bytes, so a protocol's measured bytes are its own messages only. Its random m0 come
 * from the package's OS-seeded randomness. Never use it outside tests: it is not two-party.
 * @module
 */
import type { VectorCotOutput, VectorCotShape } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport/core';
import type { PartyContext } from './context.js';
import { ParameterError } from './errors.js';
import { fieldRandom } from './field.js';
import { CLIENT, SERVER } from './party.js';
import { type OtPort, requireMessageBits } from './protocols/ot-port.js';
import { randomBits, randomWords, ringRandom } from './random.js';
import { ring } from './ring.js';

/** A queue whose `take` waits for the matching `put` of the other party. */
class Mailbox<T> {
  private readonly items: T[] = [];
  private readonly waiting: ((item: T) => void)[] = [];
  put(item: T): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(item);
    else this.items.push(item);
  }
  take(): Promise<T> {
    const item = this.items.shift();
    return item !== undefined
      ? Promise.resolve(item)
      : new Promise((resolve) => this.waiting.push(resolve));
  }
}

interface Offer {
  messages: Uint8Array;
  logN: number;
  bits: number;
}
interface Correlation {
  m0: Uint32Array;
  deltas: Uint32Array;
  ell: number;
}
interface FieldCorrelation {
  m0: Float64Array;
  deltas: Float64Array;
  modulus: number;
}
interface VectorCorrelation {
  m0: bigint[];
  deltas: Uint32Array;
  rows: Uint32Array;
  shape: VectorCotShape;
}

interface RandomBits {
  m0: Uint8Array;
  m1: Uint8Array;
  bits: number;
}

/** n uniform `bits`-bit messages, a byte each. */
function randomMessages(n: number, bits: number): Uint8Array {
  const mask = (1 << bits) - 1;
  return Uint8Array.from(randomWords(n), (v) => v & mask);
}

/** One direction's mailboxes, one per kind of OT. */
function mailboxes() {
  return {
    offers: new Mailbox<Offer>(),
    correlations: new Mailbox<Correlation>(),
    fieldCorrelations: new Mailbox<FieldCorrelation>(),
    vectors: new Mailbox<VectorCorrelation>(),
    randomBits: new Mailbox<RandomBits>(),
  };
}
type Mailboxes = ReturnType<typeof mailboxes>;

/** Value i of a Z_2^ℓ vector (one word per value up to ℓ = 32, two above). */
function valueAt(x: Uint32Array, i: number, words: number): bigint {
  return words === 1 ? BigInt(x[i]!) : BigInt(x[2 * i]!) | (BigInt(x[2 * i + 1]!) << 32n);
}

function setValue(x: Uint32Array, i: number, words: number, v: bigint): void {
  if (words === 1) x[i] = Number(BigInt.asUintN(32, v));
  else {
    const u = BigInt.asUintN(64, v);
    x[2 * i] = Number(u & 0xffffffffn);
    x[2 * i + 1] = Number(u >> 32n);
  }
}

/**
 * Hands each OT's k values (canonical mod 2^{w_j}) to a sink in one chunk, or adds them
 * (sign +1, the receiver) or subtracts them (−1, the sender) times 2^{shifts[j]} into row
 * targets[j] of an accumulator, as the real vector COT does.
 */
function deliverVectors(
  values: bigint[],
  shape: VectorCotShape,
  output: VectorCotOutput,
  sign: 1n | -1n,
): void {
  const words = shape.ell > 32 ? 2 : 1;
  const { k } = shape;
  if (typeof output === 'function') {
    const buffer = new Uint32Array(values.length * words);
    for (let i = 0; i < values.length; i++) setValue(buffer, i, words, values[i]!);
    output(0, shape.widths.length, buffer);
    return;
  }
  for (let j = 0; j < shape.widths.length; j++) {
    const shift = BigInt(output.shifts[j]!);
    const row = output.targets[j]! * k;
    for (let v = 0; v < k; v++) {
      const at = row + v;
      setValue(
        output.acc,
        at,
        words,
        valueAt(output.acc, at, words) + sign * (values[j * k + v]! << shift),
      );
    }
  }
}

function port(outgoing: Mailboxes, incoming: Mailboxes): OtPort {
  return {
    source: 'ideal',
    async sendOneOfN(messages, logN, bits) {
      if (messages.some((m) => m >>> bits !== 0))
        throw new ParameterError(`an OT message exceeds ${bits} bits`);
      outgoing.offers.put({ messages, logN, bits });
    },
    async receiveOneOfN(choices, logN, bits) {
      const offer = await incoming.offers.take();
      const count = offer.messages.length >>> offer.logN;
      if (offer.logN !== logN || offer.bits !== bits || count !== choices.length) {
        throw new ParameterError(
          `OT mismatch: sender offered ${count} × 1-of-2^${offer.logN} of ${offer.bits} bits, ` +
            `receiver asked ${choices.length} × 1-of-2^${logN} of ${bits} bits`,
        );
      }
      return choices.map((choice, i) => offer.messages[(i << logN) + choice]!);
    },
    async sendCorrelated(deltas, ell) {
      const r = ring(ell);
      const m0 = ringRandom(r, deltas.length / r.words);
      outgoing.correlations.put({ m0, deltas, ell });
      return m0;
    },
    async receiveCorrelated(choices, ell) {
      const { m0, deltas, ell: senderEll } = await incoming.correlations.take();
      const words = ell <= 32 ? 1 : 2;
      if (senderEll !== ell || deltas.length !== choices.length * words) {
        throw new ParameterError(
          `COT mismatch: sender ${deltas.length / words} × ${senderEll} bits, receiver ${choices.length} × ${ell}`,
        );
      }
      const out = new Uint32Array(m0.length);
      choices.forEach((c, i) => {
        const v = valueAt(m0, i, words) + (c ? valueAt(deltas, i, words) : 0n);
        setValue(out, i, words, BigInt.asUintN(ell, v));
      });
      return out;
    },
    async sendCorrelatedField(deltas, f) {
      const m0 = fieldRandom(f, deltas.length);
      outgoing.fieldCorrelations.put({ m0, deltas, modulus: f.n });
      return m0;
    },
    async receiveCorrelatedField(choices, f) {
      const { m0, deltas, modulus } = await incoming.fieldCorrelations.take();
      if (modulus !== f.n || deltas.length !== choices.length) {
        throw new ParameterError(
          `field COT mismatch: sender ${deltas.length} mod ${modulus}, receiver ${choices.length} mod ${f.n}`,
        );
      }
      return m0.map((m, i) => (choices[i] ? (m + deltas[i]!) % modulus : m));
    },
    async sendRandomBits(n, bits = 1) {
      requireMessageBits(bits);
      const sent = { m0: randomMessages(n, bits), m1: randomMessages(n, bits), bits };
      outgoing.randomBits.put(sent);
      return { m0: sent.m0, m1: sent.m1 };
    },
    async receiveRandomBits(n, bits = 1) {
      requireMessageBits(bits);
      const { m0, m1, bits: sentBits } = await incoming.randomBits.take();
      if (m0.length !== n || sentBits !== bits) {
        throw new ParameterError(
          `random OT mismatch: sender ${m0.length} of ${sentBits} bits, receiver ${n} of ${bits}`,
        );
      }
      const choices = randomBits(n);
      return { choices, m: choices.map((c, i) => (c ? m1[i]! : m0[i]!)) };
    },
    async sendVectorCorrelated(deltas, rows, shape, output) {
      const { k, ell, widths } = shape;
      const r = ring(ell);
      const random = ringRandom(r, widths.length * k);
      const m0 = Array.from({ length: widths.length * k }, (_, i) =>
        BigInt.asUintN(widths[Math.floor(i / k)]!, valueAt(random, i, r.words)),
      );
      outgoing.vectors.put({ m0, deltas, rows, shape });
      deliverVectors(m0, shape, output, -1n);
    },
    async receiveVectorCorrelated(choices, shape, output) {
      const sent = await incoming.vectors.take();
      const { k, ell, widths } = shape;
      const agree =
        sent.shape.k === k &&
        sent.shape.ell === ell &&
        choices.length === widths.length &&
        sent.shape.widths.length === widths.length &&
        sent.shape.widths.every((w, j) => w === widths[j]);
      if (!agree) {
        throw new ParameterError(
          `vector COT mismatch: sender ${sent.shape.widths.length} × ${sent.shape.k} values of ℓ = ${sent.shape.ell}, ` +
            `receiver ${choices.length} × ${k} of ℓ = ${ell} (or different widths)`,
        );
      }
      const words = ell > 32 ? 2 : 1;
      const values = sent.m0.map((m, i) => {
        const j = Math.floor(i / k);
        if (!choices[j]) return m;
        const delta = valueAt(sent.deltas, sent.rows[j]! * k + (i % k), words);
        return BigInt.asUintN(widths[j]!, m + delta);
      });
      deliverVectors(values, shape, output, 1n);
    },
  };
}

/** Two connected ideal OT ports: [the server's, the client's]. */
export function idealOtPair(): [OtPort, OtPort] {
  const toClient = mailboxes();
  const toServer = mailboxes();
  return [port(toClient, toServer), port(toServer, toClient)];
}

/**
 * The two parties' contexts over ideal OT, with an in-memory channel pair for the protocols'
 * own messages (or the given pair, e.g. a simulated link): [server, client].
 */
export function idealContextPair(
  channels: [Channel, Channel] = memoryPair(),
): [PartyContext, PartyContext] {
  const [serverOt, clientOt] = idealOtPair();
  return [
    { party: SERVER, channel: channels[0], ot: serverOt },
    { party: CLIENT, channel: channels[1], ot: clientOt },
  ];
}
