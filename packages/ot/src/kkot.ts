/**
 * 1-out-of-N OT for N = 2^m ≤ 256 (Kolesnikov–Kumaresan 2013) with λ = 256 base OTs and the
 * Walsh–Hadamard code, for short packed messages (e.g. 1-of-16 with 2-bit messages, as the
 * millionaires' protocol uses). Row j gives the sender q_j = t_j ⊕ (C(r_j) ∧ s); its key for
 * message x is H(q_j ⊕ (C(x) ∧ s)), equal to the receiver's H(t_j) exactly for x = r_j.
 *
 * H on 256-bit rows (lo, hi) with tweak j, the OT's global index (counted across calls and
 * batches by the extension core, alike on both sides), is H(j, lo, hi) = TCCR(j, CR(lo) ⊕ hi):
 * the correlation-robust CR(x) = π(x) ⊕ x folds the row to 128 bits, then the tweakable
 * TCCR(j, z) = π(π(z) ⊕ j) ⊕ π(z) (Guo–Katz–Wang–Yu, S&P 2020) hashes it. Why this is enough:
 * a key the receiver did not choose, x ≠ r_j, is the row t_j ⊕ d with d = (C(x) ⊕ C(r_j)) ∧ s,
 * and the code's distance 128 leaves ≥ 128 secret bits of s in d. If d's low half is 0, the
 * folded value moves by d's high half, a secret offset of the kind TCCR is robust to; else
 * CR(lo ⊕ d_lo) is π at an input the receiver cannot predict, so the folded value is
 * unpredictable too. All N keys of OT j share tweak j, but they differ by distinct offsets;
 * OTs never share a tweak, so the receiver's n OTs give no multi-instance speed-up (see
 * iknp.ts). Three AES passes per key.
 *
 * Wire: 32 bytes per OT from the receiver (⌈n/8⌉ per column), then N·ℓ bits per OT from the
 * sender: 1-of-16 with ℓ = 2 costs 36 bytes per OT.
 */
import type { Channel } from '@secinfer/transport/core';
import { crHash, fixedKeyPermute, tccrHash } from './aes.js';
import { OtError, requireChoices, requireWidth } from './errors.js';
import {
  pipelineBatches,
  ReceiverCore,
  receiverCoreFrom,
  requireWindowFits,
  SenderCore,
  senderCoreFrom,
} from './extension.js';
import { transpose, wasmKernels } from './kernels/transpose-wasm.js';
import { xorInto } from './kernels/xor.js';
import { selectPacked } from './select.js';
import { walshHadamardCodewords } from './walsh-hadamard.js';

const WIDTH = 256;
/** KKOT batches are smaller: the sender hashes N rows of 32 bytes per OT. */
const KK_BATCH = 1 << 14;
const CODEWORDS = walshHadamardCodewords(256);
/** C(2^t) for t < 8, as 8 words each: the code is linear, C(r) = ⊕_{t: r_t = 1} C(2^t). */
const BASIS_WORDS = Uint32Array.from(
  { length: 64 },
  (_, i) => new Uint32Array(CODEWORDS.buffer)[8 * (1 << (i >>> 3)) + (i & 7)]!,
);

/**
 * Row j of `rows` (8 words) := C(r) for the receiver's choice r < 2^logN, summed from the
 * basis by masks: a table of all N codewords indexed by r would read a line chosen by r.
 */
function codeword(rows: Uint32Array, j: number, r: number, logN: number): void {
  for (let w = 0; w < 8; w++) {
    let v = 0;
    for (let t = 0; t < logN; t++) v ^= BASIS_WORDS[8 * t + w]! & -((r >>> t) & 1);
    rows[8 * j + w] = v;
  }
}

function checkParams(logN: number, bits: number): void {
  if (!Number.isInteger(logN) || logN < 1 || logN > 8) {
    throw new OtError('BAD_N', `kkot: log N = ${logN} is outside 1..8`);
  }
  requireWidth(bits, 8, 'kkot message');
}

/** Bytes the sender sends for `count` OTs: N·ℓ bits each, packed. */
function replyBytes(count: number, logN: number, bits: number): number {
  return Math.ceil(((count << logN) * bits) / 8);
}

/**
 * H over 256-bit rows split into halves (`lo`, `hi`: 16 bytes per row each), row j with tweak
 * `first` + j: H(j, lo, hi) = TCCR(j, CR(lo) ⊕ hi), three AES passes per row.
 */
function hashHalves(lo: Uint8Array, hi: Uint8Array, first: number): Uint8Array {
  const folded = crHash(lo);
  xorInto(folded, hi);
  return tccrHash(folded, first);
}

/** Splits rows of 32 bytes into their low and high 16-byte halves. */
function splitRows(rows: Uint32Array, count: number): [Uint8Array, Uint8Array] {
  const lo = new Uint32Array(4 * count);
  const hi = new Uint32Array(4 * count);
  for (let j = 0; j < count; j++) {
    for (let w = 0; w < 4; w++) {
      lo[4 * j + w] = rows[8 * j + w]!;
      hi[4 * j + w] = rows[8 * j + 4 + w]!;
    }
  }
  return [new Uint8Array(lo.buffer), new Uint8Array(hi.buffer)];
}

/** Keys per WebAssembly call: lo, hi and the hash chunk stay within a few MiB. */
const KEY_CHUNK = 4096;

/**
 * The sender's reply for one batch: messages[j·N + x] ⊕ H(j, q_j ⊕ m_x) at ℓ bits each,
 * packed, j counted from `tweak`. Keys are built in WebAssembly memory (SIMD) and hashed from
 * there in 64 KiB AES calls: z = π(lo) ⊕ lo ⊕ hi, y = π(z), then H = π(y ⊕ j) ⊕ y, of which
 * only byte 0 is formed (ℓ ≤ 8).
 */
function senderReply(
  tweak: number,
  q: Uint8Array,
  masked: Uint8Array,
  messages: Uint8Array,
  n: number,
  N: number,
  bits: number,
): Uint8Array {
  const keys = n * N;
  const qBytes = 32 * n;
  const outBytes = Math.ceil((keys * bits) / 8);
  const { k, base } = wasmKernels(qBytes + 32 * N + 34 * keys + 32 * KEY_CHUNK + outBytes + 8);
  const qAt = base;
  const maskedAt = qAt + qBytes;
  const loAt = maskedAt + 32 * N;
  const hiAt = loAt + 16 * keys;
  const tmpAt = hiAt + 16 * keys;
  const tweakedAt = tmpAt + 16 * KEY_CHUNK;
  const hAt = tweakedAt + 16 * KEY_CHUNK;
  const msgAt = hAt + keys;
  const outAt = msgAt + keys;
  let mem = new Uint8Array(k.memory.buffer);
  mem.set(q.subarray(0, qBytes), qAt);
  mem.set(masked, maskedAt);
  mem.set(messages, msgAt);
  k.kkKeys(qAt, maskedAt, n, N, loAt, hiAt);
  for (let first = 0; first < keys; first += KEY_CHUNK) {
    const count = Math.min(KEY_CHUNK, keys - first);
    const lo = loAt + 16 * first;
    const hi = hiAt + 16 * first;
    mem = new Uint8Array(k.memory.buffer);
    mem.set(fixedKeyPermute(mem.subarray(lo, lo + 16 * count)), tmpAt);
    k.xor2Into(hi, tmpAt, lo, 16 * count);
    mem.set(fixedKeyPermute(mem.subarray(hi, hi + 16 * count)), tmpAt);
    const ot = tweak + first / N;
    k.xorTweaks(tweakedAt, tmpAt, count, ot >>> 0, Math.floor(ot / 2 ** 32), N);
    mem.set(fixedKeyPermute(mem.subarray(tweakedAt, tweakedAt + 16 * count)), tweakedAt);
    k.firstBytes(hAt + first, tweakedAt, tmpAt, count);
  }
  k.packMasked(msgAt, hAt, keys, bits, outAt);
  return new Uint8Array(k.memory.buffer, outAt, outBytes).slice();
}

/** The sender side of 1-out-of-N OT. Set up once (256 base OTs), extend many times. */
export class KkotSender {
  private constructor(
    readonly channel: Channel,
    readonly core: SenderCore,
  ) {}

  /** Runs the 256 base OTs (as their receiver) on `channel`. */
  static async setup(channel: Channel): Promise<KkotSender> {
    requireWindowFits(channel, WIDTH, KK_BATCH, 'KkotSender');
    return new KkotSender(channel, await SenderCore.setup(channel, WIDTH));
  }

  /** Sets up from 256 OTs run elsewhere as their receiver (random secret choices `s`, outputs `keys`). */
  static fromBaseOts(channel: Channel, s: Uint8Array, keys: Uint8Array): KkotSender {
    requireWindowFits(channel, WIDTH, KK_BATCH, 'KkotSender');
    return new KkotSender(channel, senderCoreFrom(WIDTH, s, keys));
  }

  /**
   * n OTs, OT j offering messages[j·N + x] for x < N = 2^logN, each below 2^bits (bits ≤ 8).
   */
  async send(messages: Uint8Array, logN: number, bits: number): Promise<void> {
    checkParams(logN, bits);
    const N = 1 << logN;
    const n = messages.length / N;
    if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'kkot send: messages length');
    // A wider message would be silently cut to `bits` on the wire.
    for (let i = 0; i < messages.length; i++) {
      if (messages[i]! >>> bits !== 0)
        throw new OtError(
          'BAD_WIDTH',
          `kkot send: message ${i} = ${messages[i]} needs more than ${bits} bits`,
        );
    }
    const { core, channel } = this;
    const masked = new Uint8Array(32 * N);
    for (let x = 0; x < N; x++) {
      for (let k = 0; k < 32; k++) masked[32 * x + k] = CODEWORDS[32 * x + k]! & core.s[k]!;
    }
    for (const b of core.batches(n, KK_BATCH)) {
      const u = await channel.recv(core.uBytes(b), 'kkot: matrix columns');
      const batch = messages.subarray(b.first * N, (b.first + b.count) * N);
      const reply = senderReply(b.tweak, core.decode(b, u), masked, batch, b.count, N, bits);
      await channel.send(reply);
    }
  }
}

/** The receiver side of 1-out-of-N OT. */
export class KkotReceiver {
  private constructor(
    readonly channel: Channel,
    readonly core: ReceiverCore,
  ) {}

  /** Runs the 256 base OTs (as their sender) on `channel`. */
  static async setup(channel: Channel): Promise<KkotReceiver> {
    requireWindowFits(channel, WIDTH, KK_BATCH, 'KkotReceiver');
    return new KkotReceiver(channel, await ReceiverCore.setup(channel, WIDTH));
  }

  /** Sets up from 256 OTs run elsewhere as their sender of `keys0`, `keys1`. */
  static fromBaseOts(channel: Channel, keys0: Uint8Array, keys1: Uint8Array): KkotReceiver {
    requireWindowFits(channel, WIDTH, KK_BATCH, 'KkotReceiver');
    return new KkotReceiver(channel, receiverCoreFrom(WIDTH, keys0, keys1));
  }

  /** n = choices.length OTs, OT j choosing choices[j] < 2^logN; returns the ℓ-bit messages. */
  async receive(choices: Uint8Array, logN: number, bits: number): Promise<Uint8Array> {
    checkParams(logN, bits);
    requireChoices(choices, 1 << logN, 'kkot receive');
    const { core, channel } = this;
    const out = new Uint8Array(choices.length);
    const mask = (1 << bits) - 1;
    await pipelineBatches(
      core,
      core.batches(choices.length, KK_BATCH),
      async (b) => {
        const rows = new Uint32Array(8 * b.padded);
        for (let j = 0; j < b.count; j++) codeword(rows, j, choices[b.first + j]!, logN);
        const { u, t } = core.encode(
          b,
          transpose(new Uint8Array(rows.buffer), b.padded, WIDTH),
          false,
        );
        await channel.send(u);
        const tw = new Uint32Array(t.buffer, t.byteOffset, 8 * b.count);
        return hashHalves(...splitRows(tw, b.count), b.tweak);
      },
      async (b, h) => {
        const reply = await channel.recv(replyBytes(b.count, logN, bits), 'kkot: sender reply');
        for (let j = 0; j < b.count; j++) {
          const word = selectPacked(reply, j, choices[b.first + j]!, logN, bits);
          out[b.first + j] = (word ^ h[16 * j]!) & mask;
        }
      },
    );
    return out;
  }
}
