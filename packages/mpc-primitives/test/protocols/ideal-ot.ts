/**
 * An ideal 1-out-of-N OT functionality for testing the protocols above OT: a trusted party
 * in memory hands each receiver the message it chose (or m0 + c·Δ for correlated OT). It checks that the two parties agree
 * on the call (count, N, message width) as the real stack would, and moves no bytes.
 */
import { fieldRandom } from '../../src/field.js';
import type { OtPort } from '../../src/protocols/ot-port.js';
import { fromLayout, randomValues, toLayout } from './values.js';

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

interface FieldCorrelation {
  m0: Float64Array;
  deltas: Float64Array;
  modulus: number;
}

interface Mailboxes {
  offers: Mailbox<Offer>;
  correlations: Mailbox<Correlation>;
  fieldCorrelations: Mailbox<FieldCorrelation>;
}

function port(outgoing: Mailboxes, incoming: Mailboxes): OtPort {
  return {
    async sendOneOfN(messages, logN, bits) {
      if (messages.some((m) => m >>> bits !== 0))
        throw new RangeError(`an OT message exceeds ${bits} bits`);
      outgoing.offers.put({ messages, logN, bits });
    },
    async receiveOneOfN(choices, logN, bits) {
      const offer = await incoming.offers.take();
      const count = offer.messages.length >>> offer.logN;
      if (offer.logN !== logN || offer.bits !== bits || count !== choices.length) {
        throw new Error(
          `OT mismatch: sender offered ${count} × 1-of-2^${offer.logN} of ${offer.bits} bits, ` +
            `receiver asked ${choices.length} × 1-of-2^${logN} of ${bits} bits`,
        );
      }
      return choices.map((choice, i) => offer.messages[(i << logN) + choice]!);
    },
    async sendCorrelated(deltas, ell) {
      const words = ell <= 32 ? 1 : 2;
      const m0 = toLayout(randomValues(deltas.length / words, ell), ell);
      outgoing.correlations.put({ m0, deltas, ell });
      return m0;
    },
    async receiveCorrelated(choices, ell) {
      const { m0, deltas, ell: senderEll } = await incoming.correlations.take();
      const words = ell <= 32 ? 1 : 2;
      if (senderEll !== ell || deltas.length !== choices.length * words) {
        throw new Error(
          `COT mismatch: sender ${deltas.length / words} × ${senderEll} bits, receiver ${choices.length} × ${ell}`,
        );
      }
      const m0s = fromLayout(m0, ell);
      const ds = fromLayout(deltas, ell);
      return toLayout(
        m0s.map((m, i) => (choices[i] ? m + ds[i]! : m)),
        ell,
      );
    },
    async sendCorrelatedField(deltas, f) {
      const m0 = fieldRandom(f, deltas.length);
      outgoing.fieldCorrelations.put({ m0, deltas, modulus: f.n });
      return m0;
    },
    async receiveCorrelatedField(choices, f) {
      const { m0, deltas, modulus } = await incoming.fieldCorrelations.take();
      if (modulus !== f.n || deltas.length !== choices.length) {
        throw new Error(
          `field COT mismatch: sender ${deltas.length} mod ${modulus}, receiver ${choices.length} mod ${f.n}`,
        );
      }
      return m0.map((m, i) => (choices[i] ? (m + deltas[i]!) % modulus : m));
    },
  };
}

/** Two connected ideal OT ports, one per party. */
export function idealOtPair(): [OtPort, OtPort] {
  const mailboxes = (): Mailboxes => ({
    offers: new Mailbox<Offer>(),
    correlations: new Mailbox<Correlation>(),
    fieldCorrelations: new Mailbox<FieldCorrelation>(),
  });
  const toClient = mailboxes();
  const toServer = mailboxes();
  return [port(toClient, toServer), port(toServer, toClient)];
}
