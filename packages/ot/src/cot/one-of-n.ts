/**
 * 1-out-of-N OT (N = 2^m ≤ 256) of short messages (≤ 8 bits) from m global-Δ COTs, the
 * construction Cheetah counts as N·ℓ + log2 N bits per OT (plus the COTs), a drop-in for
 * KK13's `KkotSender.send` / `KkotReceiver.receive` (same message, choice and output layout).
 *
 * OT i uses COTs j = i·m + t, t < m. The receiver, choosing c, sends d_t = c_t ⊕ b_t (m bits,
 * packed). The sender's key for index k at bit t is K_t ⊕ (k_t ⊕ d_t)·Δ, which is the
 * receiver's M_t exactly when k_t = c_t and M_t ⊕ Δ otherwise. The pad of message k is
 *   pad_k = H'(s_k ⊕ T(i, k)),  s_k = ⊕_t H(j_t, K_t ⊕ (k_t ⊕ d_t)·Δ),
 * with H(j, x) = π(π(x) ⊕ j) ⊕ π(x) the tweakable hash, j_t the COT's index in its source
 * (never reused, ./cot.ts; why the tweak: ./derandomise.ts), and H'(z) = π(z) ⊕ z on the
 * tweaked input (T(i, k) puts i, the index of the OT's first COT, in words 0–1 and k in word
 * 2). Why both hashes:
 *   - Not the keys themselves: ⊕_t of the raw keys for k = c ⊕ e is s_c ⊕ popcount(e)·Δ, so
 *     every k at even distance from c would get the receiver's own pad.
 *   - Not a plain XOR of per-bit pads either: then pad_00 ⊕ pad_01 ⊕ pad_10 ⊕ pad_11 = 0 and
 *     the receiver would learn XORs of the messages it must not see.
 *   With the inner H (tweakable correlation robustness under one global Δ) the m unknown
 *   per-bit values u_t = H(j_t, M_t ⊕ Δ) are independent and uniform, so for k ≠ c the s_k are distinct,
 *   non-trivial linear combinations of them; the outer permutation, at inputs of full
 *   entropy, turns those linear relations into independent pads. The tweak keeps the inputs
 *   of different (OT, k) apart, as in Guo–Katz–Wang–Yu's tweakable hashing of 1-out-of-N.
 * AES blocks per OT: 4m (sender's inner hashes) + N (outer) for the sender, 2m + 1 for the
 * receiver.
 *
 * Wire per call of n OTs: ⌈n·m/8⌉ bytes up, then ⌈n·N·ℓ/8⌉ bytes down (values packed as
 * KK13 packs them), in batches of ~2^20 COTs so the keys in memory stay bounded, and one
 * round trip however many batches: the receiver sends every batch's flips as it goes; the
 * sender holds its replies until it has taken its last COTs and sends them then, because a
 * COT source may send messages of its own inside `next` (Ferret's rounds), and the receiver
 * must read those and the replies in the order they were sent. The sender holds n·N·ℓ/8
 * bytes of replies, the receiver n bytes of pads.
 */
import { fixedKeyPermute, tccrHashMasked } from '../aes.js';
import { OtError, requireChoices, requireWidth } from '../errors.js';
import { packBits } from '../kernels/pack.js';
import { selectPacked } from '../select.js';
import type { CotReceiver, CotSender } from './cot.js';

/** COTs per batch: 16 MiB of keys, whatever m is. */
const BATCH_COTS = 1 << 20;
/** OTs per outer-hash pass: N·4096 blocks stay within a few MiB even at N = 256. */
const HASH_OTS = 4096;

function checkParams(logN: number, bits: number, what: string): void {
  if (!Number.isInteger(logN) || logN < 1 || logN > 8) {
    throw new OtError('BAD_N', `${what}: log N = ${logN} is outside 1..8`);
  }
  requireWidth(bits, 8, `${what} message`);
}

function batchOts(logN: number): number {
  return Math.floor(BATCH_COTS / logN);
}

function replyBytes(count: number, logN: number, bits: number): number {
  return Math.ceil(((count << logN) * bits) / 8);
}

/** Int32 views keep XOR results small integers in V8. */
function words(a: Uint8Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
}

/** The low byte of H'(z) = π(z) ⊕ z for every (already tweaked) block z: one pass of π. */
function lowBytesOfHash(z: Uint8Array): Uint8Array {
  const p = fixedKeyPermute(z);
  const out = new Uint8Array(z.byteLength >>> 4);
  for (let r = 0; r < out.length; r++) out[r] = p[16 * r]! ^ z[16 * r]!;
  return out;
}

/** (messages ⊕ pads) at `bits` ≤ 8 bits each, packed as pack.ts packs values (a bit stream). */
function packMasked(messages: Uint8Array, pads: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((messages.length * bits) / 8) + 1);
  const mask = (1 << bits) - 1;
  let acc = 0;
  let filled = 0;
  let at = 0;
  for (let r = 0; r < messages.length; r++) {
    acc |= ((messages[r]! ^ pads[r]!) & mask) << filled;
    filled += bits;
    if (filled >= 8) {
      out[at++] = acc;
      acc >>>= 8;
      filled -= 8;
    }
  }
  out[at] = acc;
  return out.subarray(0, Math.ceil((messages.length * bits) / 8));
}

/**
 * SENDER: n = messages.length / 2^logN OTs, OT i offering messages[i·N + k] (each below
 * 2^bits, bits ≤ 8) for k < N.
 */
export async function cotOneOfNSend(
  cot: CotSender,
  messages: Uint8Array,
  logN: number,
  bits: number,
): Promise<void> {
  checkParams(logN, bits, 'cot oneOfN');
  const N = 1 << logN;
  const n = messages.length / N;
  if (!Number.isInteger(n)) throw new OtError('BAD_LENGTH', 'cot oneOfN send: messages length');
  for (let i = 0; i < messages.length; i++) {
    if (messages[i]! >>> bits !== 0)
      throw new OtError(
        'BAD_WIDTH',
        `cot oneOfN send: message ${i} = ${messages[i]} needs more than ${bits} bits`,
      );
  }
  const per = batchOts(logN);
  const replies: Uint8Array[] = [];
  for (let first = 0; first < n; first += per) {
    const count = Math.min(per, n - first);
    const at = cot.tweak;
    const keys = await cot.next(count * logN);
    const flips = await cot.channel.recv(Math.ceil((count * logN) / 8), 'cot oneOfN: choice flips');
    // h0 = H(j, K_t), diff = H(j, K_t) ⊕ H(j, K_t ⊕ Δ), as Int32 words (measured 2× faster
    // here than 64-bit BigInt lanes for these short XOR chains).
    const h0 = words(tccrHashMasked(keys, undefined, at));
    const diff = words(tccrHashMasked(keys, cot.delta, at));
    for (let i = 0; i < diff.length; i++) diff[i] = diff[i]! ^ h0[i]!;
    const pads = new Uint8Array(count * N);
    const z = new Uint8Array(16 * N * Math.min(HASH_OTS, count));
    const zw = words(z);
    for (let f = 0; f < count; f += HASH_OTS) {
      const c = Math.min(HASH_OTS, count - f);
      for (let o = 0; o < c; o++) {
        // z_k = s_k ⊕ T(i, k). z_0 = ⊕_t h_{t, d_t} ⊕ (i, 0); then, since T is linear in k
        // and k − 2^t < 2^t for t the top bit of k, z_k = z_{k − 2^t} ⊕ h_{t,0} ⊕ h_{t,1} ⊕
        // (0, 2^t): one XOR per candidate, the tweak included.
        const base = 4 * N * o;
        const ot = at + (f + o) * logN;
        let w0 = ot >>> 0;
        let w1 = Math.floor(ot / 4294967296);
        let w2 = 0;
        let w3 = 0;
        for (let t = 0; t < logN; t++) {
          const j = (f + o) * logN + t;
          const flip = -((flips[j >>> 3]! >>> (j & 7)) & 1); // all ones when d_t = 1
          w0 ^= h0[4 * j]! ^ (diff[4 * j]! & flip);
          w1 ^= h0[4 * j + 1]! ^ (diff[4 * j + 1]! & flip);
          w2 ^= h0[4 * j + 2]! ^ (diff[4 * j + 2]! & flip);
          w3 ^= h0[4 * j + 3]! ^ (diff[4 * j + 3]! & flip);
        }
        zw[base] = w0;
        zw[base + 1] = w1;
        zw[base + 2] = w2;
        zw[base + 3] = w3;
        for (let t = 0; t < logN; t++) {
          const j = 4 * ((f + o) * logN + t);
          const d0 = diff[j]!;
          const d1 = diff[j + 1]!;
          const d2 = diff[j + 2]! ^ (1 << t);
          const d3 = diff[j + 3]!;
          const lo = 1 << t;
          for (let k = lo; k < 2 * lo; k++) {
            const to = base + 4 * k;
            const from = base + 4 * (k - lo);
            zw[to] = zw[from]! ^ d0;
            zw[to + 1] = zw[from + 1]! ^ d1;
            zw[to + 2] = zw[from + 2]! ^ d2;
            zw[to + 3] = zw[from + 3]! ^ d3;
          }
        }
      }
      pads.set(lowBytesOfHash(z.subarray(0, 16 * N * c)), f * N);
    }
    const batch = messages.subarray(first * N, (first + count) * N);
    replies.push(packMasked(batch, pads, bits));
  }
  for (const reply of replies) await cot.channel.send(reply);
}

/** RECEIVER: n = choices.length OTs, OT i choosing choices[i] < 2^logN; returns the messages. */
export async function cotOneOfNReceive(
  cot: CotReceiver,
  choices: Uint8Array,
  logN: number,
  bits: number,
): Promise<Uint8Array> {
  checkParams(logN, bits, 'cot oneOfN');
  requireChoices(choices, 1 << logN, 'cot oneOfN receive');
  const n = choices.length;
  const out = new Uint8Array(n);
  const mask = (1 << bits) - 1;
  const per = batchOts(logN);
  const pads = new Uint8Array(n);
  for (let first = 0; first < n; first += per) {
    const count = Math.min(per, n - first);
    const at = cot.tweak;
    const { choices: b, macs } = await cot.next(count * logN);
    const flips = new Uint8Array(count * logN);
    for (let o = 0; o < count; o++) {
      const c = choices[first + o]!;
      for (let t = 0; t < logN; t++) flips[o * logN + t] = ((c >>> t) & 1) ^ b[o * logN + t]!;
    }
    await cot.channel.send(packBits(flips));
    // z = ⊕_t H(j_t, M_t) ⊕ T(i, c): the sender's z_c.
    const h = words(tccrHashMasked(macs, undefined, at));
    const z = new Uint8Array(16 * count);
    const zw = words(z);
    for (let o = 0; o < count; o++) {
      for (let t = 0; t < logN; t++) {
        const j = 4 * (o * logN + t);
        for (let w = 0; w < 4; w++) zw[4 * o + w] = zw[4 * o + w]! ^ h[j + w]!;
      }
      const ot = at + o * logN;
      zw[4 * o] = zw[4 * o]! ^ (ot >>> 0);
      zw[4 * o + 1] = zw[4 * o + 1]! ^ Math.floor(ot / 4294967296);
      zw[4 * o + 2] = zw[4 * o + 2]! ^ choices[first + o]!;
    }
    pads.set(lowBytesOfHash(z), first);
  }
  for (let first = 0; first < n; first += per) {
    const count = Math.min(per, n - first);
    const reply = await cot.channel.recv(
      replyBytes(count, logN, bits),
      'cot oneOfN: masked messages',
    );
    for (let o = 0; o < count; o++) {
      const word = selectPacked(reply, o, choices[first + o]!, logN, bits);
      out[first + o] = (word ^ pads[first + o]!) & mask;
    }
  }
  return out;
}
