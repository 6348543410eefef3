/**
 * @secinfer/ot/ideal — the ideal global-Δ COT functionality, for testing what is built on the
 * `CotSender` / `CotReceiver` interface (OT on COT here, the protocols of the layers above and
 * other projects' code) without base OTs or an extension: a trusted party in memory draws Δ
 * once, and per batch uniform K_j and choice bits b_j, and hands the receiver
 * M_j = K_j ⊕ b_j·Δ. Whichever party asks first draws the batch; the other must ask for the
 * same n (else `OtError` code `PARAMETER_MISMATCH`). The COTs move no bytes: the channels are
 * only for the messages of the protocol under test, so its measured bytes are its own.
 * Randomness is the package's OS-seeded AES PRG. Never use it outside tests: it is not
 * two-party.
 * @module
 */
import { type Channel, memoryPair } from '@secinfer/transport';
import type { CotBatch, CotReceiver, CotSender } from './cot/cot.js';
import { OtError, requireCount } from './errors.js';
import { xorInto } from './kernels/xor.js';
import { randomBits, randomBytes } from './random.js';

/** One batch of n COTs as the trusted party drew it. */
interface IdealBatch {
  keys: Uint8Array;
  choices: Uint8Array;
  macs: Uint8Array;
}

/** The trusted party: Δ, and the batches one side has drawn and the other not yet taken. */
class IdealCot {
  readonly delta = randomBytes(16);
  private readonly forSender: IdealBatch[] = [];
  private readonly forReceiver: IdealBatch[] = [];

  /** The next batch of the given side: the one the other side drew, or a fresh one. */
  take(side: 'sender' | 'receiver', n: number): IdealBatch {
    requireCount(n, 'ideal cot');
    const [mine, theirs] =
      side === 'sender' ? [this.forSender, this.forReceiver] : [this.forReceiver, this.forSender];
    const drawn = mine.shift();
    if (drawn) {
      if (drawn.choices.length !== n) {
        throw new OtError(
          'PARAMETER_MISMATCH',
          `ideal cot: the ${side} asked for ${n} COTs, the other party for ${drawn.choices.length}`,
        );
      }
      return drawn;
    }
    const batch = this.draw(n);
    theirs.push(batch);
    return batch;
  }

  private draw(n: number): IdealBatch {
    const keys = randomBytes(16 * n);
    const choices = randomBits(n);
    const macs = keys.slice();
    for (let j = 0; j < n; j++) {
      if (choices[j]) xorInto(macs.subarray(16 * j, 16 * j + 16), this.delta);
    }
    return { keys, choices, macs };
  }
}

/**
 * An ideal COT pair sharing one global Δ: [sender, receiver], over the given channel pair
 * (default an in-memory pair) for the messages of the protocol under test.
 */
export function idealCotPair(
  channels: [Channel, Channel] = memoryPair(),
): [CotSender, CotReceiver] {
  const ideal = new IdealCot();
  const sender: CotSender = {
    channel: channels[0],
    delta: ideal.delta.slice(),
    next: async (n) => ideal.take('sender', n).keys,
  };
  const receiver: CotReceiver = {
    channel: channels[1],
    next: async (n): Promise<CotBatch> => {
      const { choices, macs } = ideal.take('receiver', n);
      return { choices, macs };
    },
  };
  return [sender, receiver];
}
