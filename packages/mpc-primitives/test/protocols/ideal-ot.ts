/**
 * An ideal 1-out-of-N OT functionality for testing the protocols above OT: a trusted party
 * in memory hands each receiver the message it chose. It checks that the two parties agree
 * on the call (count, N, message width) as the real stack would, and moves no bytes.
 */
import type { OtPort } from '../../src/protocols/ot-port.js';

interface Offer {
  messages: Uint8Array;
  logN: number;
  bits: number;
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

function port(outgoing: Mailbox<Offer>, incoming: Mailbox<Offer>): OtPort {
  return {
    async sendOneOfN(messages, logN, bits) {
      if (messages.some((m) => m >>> bits !== 0))
        throw new RangeError(`an OT message exceeds ${bits} bits`);
      outgoing.put({ messages, logN, bits });
    },
    async receiveOneOfN(choices, logN, bits) {
      const offer = await incoming.take();
      const count = offer.messages.length >>> offer.logN;
      if (offer.logN !== logN || offer.bits !== bits || count !== choices.length) {
        throw new Error(
          `OT mismatch: sender offered ${count} × 1-of-2^${offer.logN} of ${offer.bits} bits, ` +
            `receiver asked ${choices.length} × 1-of-2^${logN} of ${bits} bits`,
        );
      }
      return choices.map((choice, i) => offer.messages[(i << logN) + choice]!);
    },
  };
}

/** Two connected ideal OT ports, one per party. */
export function idealOtPair(): [OtPort, OtPort] {
  const toClient = new Mailbox<Offer>();
  const toServer = new Mailbox<Offer>();
  return [port(toClient, toServer), port(toServer, toClient)];
}
