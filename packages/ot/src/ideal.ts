/**
 * @secinfer/ot/ideal — the ideal global-Δ COT functionality, for testing what is built on the
 * `CotSender` / `CotReceiver` interface (OT on COT here, the protocols of the layers above and
 * other projects' code) without base OTs or an extension: a trusted party in memory draws Δ
 * once, and per batch uniform K_j and choice bits b_j, and hands the receiver
 * M_j = K_j ⊕ b_j·Δ. Whichever party asks first draws the batch; the other must ask for the
 * same n (else `OtError` code `PARAMETER_MISMATCH`). The COTs move no bytes: the channels are
 * only for the messages of the protocol under test, so its measured bytes are its own.
 * The OTs built on COT (1-out-of-N, correlated over Z_2^ℓ, random bit OT) have ideal
 * functionalities here too: a trusted party that waits for both parties' inputs and hands
 * each its output, moving no bytes at all.
 * Randomness is the package's OS-seeded AES PRG. Never use it outside tests: it is not
 * two-party.
 * @module
 */
import { type Channel, memoryPair } from '@secinfer/transport/core';
import type { CotBatch, CotReceiver, CotSender } from './cot/cot.js';
import { OtError, requireChoices, requireCount, requireWidth } from './errors.js';
import { topWordMask, wordsPerValue } from './kernels/pack.js';
import { ringAddInto } from './kernels/ring.js';
import { xorInto } from './kernels/xor.js';
import { randomBits, randomBytes, randomWords } from './random.js';

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

/** One party's pending call: its input, and how to hand it its output or an error. */
interface Pending<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

/**
 * The trusted party of one OT flavour: calls pair up in order, and the first of a pair waits
 * for the second; `compute` gives both outputs (or throws, and both calls reject).
 */
class Rendezvous<SI, RI, SO, RO> {
  private readonly senders: Pending<SI, SO>[] = [];
  private readonly receivers: Pending<RI, RO>[] = [];
  constructor(private readonly compute: (s: SI, r: RI) => [SO, RO]) {}

  send(input: SI): Promise<SO> {
    return new Promise((resolve, reject) => {
      this.senders.push({ input, resolve, reject });
      this.match();
    });
  }

  receive(input: RI): Promise<RO> {
    return new Promise((resolve, reject) => {
      this.receivers.push({ input, resolve, reject });
      this.match();
    });
  }

  private match(): void {
    const s = this.senders[0];
    const r = this.receivers[0];
    if (!s || !r) return;
    this.senders.shift();
    this.receivers.shift();
    try {
      const [so, ro] = this.compute(s.input, r.input);
      s.resolve(so);
      r.resolve(ro);
    } catch (e) {
      s.reject(e);
      r.reject(e);
    }
  }
}

function agree(what: string, sender: number, receiver: number): void {
  if (sender !== receiver) {
    throw new OtError(
      'PARAMETER_MISMATCH',
      `${what}: the sender's ${sender} differs from the receiver's ${receiver}`,
    );
  }
}

/** The sender's side of 1-out-of-N OT, `KkotSender.send`'s signature. */
export interface OneOfNOtSender {
  send(messages: Uint8Array, logN: number, bits: number): Promise<void>;
}

/** The receiver's side of 1-out-of-N OT, `KkotReceiver.receive`'s signature. */
export interface OneOfNOtReceiver {
  receive(choices: Uint8Array, logN: number, bits: number): Promise<Uint8Array>;
}

/** Ideal 1-out-of-N OT (N = 2^logN ≤ 256, messages ≤ 8 bits): [sender, receiver]. */
export function idealOneOfNPair(): [OneOfNOtSender, OneOfNOtReceiver] {
  type Call = { data: Uint8Array; logN: number; bits: number };
  const ideal = new Rendezvous<Call, Call, undefined, Uint8Array>((s, r) => {
    agree('ideal oneOfN: log N', s.logN, r.logN);
    agree('ideal oneOfN: bits', s.bits, r.bits);
    agree('ideal oneOfN: OTs', s.data.length >>> s.logN, r.data.length);
    const out = new Uint8Array(r.data.length);
    for (let i = 0; i < out.length; i++) out[i] = s.data[(i << s.logN) + r.data[i]!]!;
    return [undefined, out];
  });
  const check = (logN: number, bits: number) => {
    if (!Number.isInteger(logN) || logN < 1 || logN > 8)
      throw new OtError('BAD_N', `ideal oneOfN: log N = ${logN} is outside 1..8`);
    requireWidth(bits, 8, 'ideal oneOfN message');
  };
  return [
    {
      async send(messages, logN, bits) {
        check(logN, bits);
        if (messages.length % (1 << logN) !== 0)
          throw new OtError('BAD_LENGTH', 'ideal oneOfN send: messages length');
        requireChoices(messages, 1 << bits, 'ideal oneOfN send: message');
        await ideal.send({ data: messages, logN, bits });
      },
    },
    {
      async receive(choices, logN, bits) {
        check(logN, bits);
        requireChoices(choices, 1 << logN, 'ideal oneOfN receive');
        return ideal.receive({ data: choices, logN, bits });
      },
    },
  ];
}

/** The sender's side of correlated OT over Z_2^ℓ: returns its random m0. */
export interface CorrelatedOtSender {
  send(deltas: Uint32Array, ell: number): Promise<Uint32Array>;
}

/** The receiver's side: returns m0 + c·δ mod 2^ℓ. */
export interface CorrelatedOtReceiver {
  receive(choices: Uint8Array, ell: number): Promise<Uint32Array>;
}

/** Ideal additively correlated OT over Z_2^ℓ (1 ≤ ℓ ≤ 64, project layout): [sender, receiver]. */
export function idealCorrelatedPair(): [CorrelatedOtSender, CorrelatedOtReceiver] {
  type SendCall = { deltas: Uint32Array; ell: number };
  type ReceiveCall = { choices: Uint8Array; ell: number };
  const ideal = new Rendezvous<SendCall, ReceiveCall, Uint32Array, Uint32Array>((s, r) => {
    agree('ideal correlated: width', s.ell, r.ell);
    const wpv = wordsPerValue(s.ell);
    agree('ideal correlated: OTs', s.deltas.length / wpv, r.choices.length);
    const m0 = randomWords(s.deltas.length);
    const top = topWordMask(s.ell);
    for (let w = wpv - 1; w < m0.length; w += wpv) m0[w] = m0[w]! & top;
    const chosen = s.deltas.slice();
    for (let j = 0; j < r.choices.length; j++) {
      if (!r.choices[j]) for (let w = j * wpv; w < (j + 1) * wpv; w++) chosen[w] = 0;
    }
    const out = new Uint32Array(m0.length);
    ringAddInto(out, m0, chosen, s.ell);
    return [m0, out];
  });
  return [
    {
      async send(deltas, ell) {
        requireWidth(ell, 64, 'ideal correlated');
        if (deltas.length % wordsPerValue(ell) !== 0)
          throw new OtError('BAD_LENGTH', 'ideal correlated: deltas length');
        return ideal.send({ deltas, ell });
      },
    },
    {
      async receive(choices, ell) {
        requireWidth(ell, 64, 'ideal correlated');
        requireChoices(choices, 2, 'ideal correlated');
        return ideal.receive({ choices, ell });
      },
    },
  ];
}

/** The sender's side of random bit OT: both bits of each OT. */
export interface RandomBitOtSender {
  next(n: number, bits?: number): Promise<{ m0: Uint8Array; m1: Uint8Array }>;
}

/** The receiver's side: random choice bits and the chosen messages. */
export interface RandomBitOtReceiver {
  next(n: number, bits?: number): Promise<{ choices: Uint8Array; m: Uint8Array }>;
}

/** Ideal random OT of `bits`-bit messages (default 1; one byte per message): [sender, receiver]. */
export function idealRandomBitOtPair(): [RandomBitOtSender, RandomBitOtReceiver] {
  type Out = { m0: Uint8Array; m1: Uint8Array };
  type ROut = { choices: Uint8Array; m: Uint8Array };
  type Shape = readonly [n: number, bits: number];
  const ideal = new Rendezvous<Shape, Shape, Out, ROut>(([s, bits], [r, rBits]) => {
    agree('ideal randomBitOt: OTs', s, r);
    agree('ideal randomBitOt: bits', bits, rBits);
    const mask = (1 << bits) - 1;
    const m0 = randomBytes(s).map((v) => v & mask);
    const m1 = randomBytes(s).map((v) => v & mask);
    const choices = randomBits(s);
    const m = new Uint8Array(s);
    for (let j = 0; j < s; j++) m[j] = choices[j] ? m1[j]! : m0[j]!;
    return [
      { m0, m1 },
      { choices, m },
    ];
  });
  const shape = (n: number, bits: number): Shape => {
    requireCount(n, 'ideal randomBitOt');
    if (!Number.isInteger(bits) || bits < 1 || bits > 8)
      throw new OtError('BAD_WIDTH', `random OT messages must have 1..8 bits, got ${bits}`);
    return [n, bits];
  };
  return [
    { next: (n, bits = 1) => ideal.send(shape(n, bits)) },
    { next: (n, bits = 1) => ideal.receive(shape(n, bits)) },
  ];
}
