/**
 * Fixed-key AES as a random permutation π, batched: every function here makes one cipher
 * call per buffer (or per cache-sized chunk), never one per block. Gives the
 * correlation-robust hash π(x) ⊕ x, the tweakable one π(π(x) ⊕ i) ⊕ π(x) (Guo–Katz–Wang–Yu,
 * S&P 2020), and the AES-CTR PRG. The cipher is `#aes-backend`: node:crypto on Node, the
 * WebAssembly kernel under the `browser` condition.
 */
import { ctrKeystream, ecbEncryptor } from '#aes-backend';
import { topWordMask, wordsPerValue } from './kernels/pack.js';

/** The public fixed key: any constant works, this one is the first 16 digits of π. */
const FIXED_KEY = Uint8Array.from([
  0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97, 0x93, 0x23, 0x84, 0x62, 0x64, 0x33, 0x83, 0x27, 0x95,
]);

/** π: AES-128 under the fixed key, its schedule expanded once. */
const permute = ecbEncryptor(FIXED_KEY);

/** AES-128 under `key` of every 16-byte block of `blocks` (length a multiple of 16). */
export function aesEcb(key: Uint8Array, blocks: Uint8Array): Uint8Array {
  return ecbEncryptor(key)(blocks);
}

/** π(x) for every block: fixed-key AES over a whole batch in one call. */
export function fixedKeyPermute(blocks: Uint8Array): Uint8Array {
  return aligned(permute(blocks));
}

/**
 * 64-bit lanes for XOR passes: BigUint64Array XOR compiles to plain 64-bit operations in
 * optimised V8 code and runs ~1.6× faster than Int32Array here. Length a multiple of 8.
 */
function lanes(a: Uint8Array): BigUint64Array {
  return new BigUint64Array(a.buffer, a.byteOffset, a.byteLength >>> 3);
}

/** `a` itself when 8-byte aligned, else an aligned copy. */
function aligned8(a: Uint8Array): Uint8Array {
  return a.byteOffset & 7
    ? new Uint8Array(a)
    : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Int32 views: XOR results stay small integers in V8 (Uint32 ones above 2^31 would not). */
function words(a: Uint8Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.byteLength >>> 2);
}

/** Blocks per AES call: 64 KiB keeps input, output and XOR in cache (~5.6 GB/s here). */
const CHUNK = 1 << 16;

/** Correlation-robust hash H(x) = π(x) ⊕ x of every 16-byte block. */
export function crHash(blocks: Uint8Array): Uint8Array {
  return hashMasked(blocks, undefined, undefined, undefined);
}

/**
 * H(x ⊕ mask) for every block x (H(x) when `mask` is undefined), in cache-sized chunks: the
 * IKNP sender's second pad H(q_j ⊕ s) without materialising q ⊕ s. With `into` (8-byte
 * aligned, as long as `blocks`), XORs the hashes into it instead of allocating: a chosen-
 * message sender masks its messages in place.
 */
export function crHashMasked(
  blocks: Uint8Array,
  mask: Uint8Array | undefined,
  into?: Uint8Array,
): Uint8Array {
  return hashMasked(blocks, mask, into, undefined);
}

/**
 * The tweakable hash H(i, x ⊕ mask) = π(π(x ⊕ mask) ⊕ i) ⊕ π(x ⊕ mask) of every block, block
 * k with tweak i = `first` + k (laid out as in tccrHash): crHashMasked for OT j of a stream
 * whose OTs are counted from 0, `first` being the index of the first block's OT.
 */
export function tccrHashMasked(
  blocks: Uint8Array,
  mask: Uint8Array | undefined,
  first: number,
  into?: Uint8Array,
): Uint8Array {
  return hashMasked(blocks, mask, into, first);
}

/** crHashMasked, or tccrHashMasked with tweaks from `first` on when it is defined. */
function hashMasked(
  blocks: Uint8Array,
  mask: Uint8Array | undefined,
  into: Uint8Array | undefined,
  first: number | undefined,
): Uint8Array {
  const src = aligned8(blocks);
  const out = into ?? new Uint8Array(src.byteLength);
  const ow = lanes(out);
  const m = mask ? lanes(mask.slice(0, 16)) : undefined;
  const m0 = m ? m[0]! : 0n;
  const m1 = m ? m[1]! : 0n;
  const tmp = new Uint8Array(Math.min(CHUNK, src.byteLength));
  const tw = lanes(tmp);
  for (let off = 0; off < src.byteLength; off += CHUNK) {
    const len = Math.min(CHUNK, src.byteLength - off);
    let x = lanes(src.subarray(off, off + len));
    if (m) {
      for (let i = 0; i < x.length; i += 2) {
        tw[i] = x[i]! ^ m0;
        tw[i + 1] = x[i + 1]! ^ m1;
      }
      x = tw.subarray(0, x.length);
    }
    const [pi, feed] = hashPasses(new Uint8Array(x.buffer, x.byteOffset, len), first, off);
    const p = lanes(pi);
    const f = lanes(feed);
    const o = off >>> 3;
    if (into) for (let i = 0; i < p.length; i++) ow[o + i] = ow[o + i]! ^ p[i]! ^ f[i]!;
    else for (let i = 0; i < p.length; i++) ow[o + i] = p[i]! ^ f[i]!;
  }
  return out;
}

/**
 * The AES passes over one chunk at byte `off` of a batch, as [π-output, feed-forward] whose
 * XOR is the hash: [π(x), x] for the correlation-robust hash; for the tweakable one (`first`
 * defined) [π(π(x) ⊕ i), π(x)] with block k's tweak i = first + off/16 + k.
 */
function hashPasses(
  x: Uint8Array,
  first: number | undefined,
  off: number,
): [Uint8Array, Uint8Array] {
  const y = aligned8(permute(x));
  if (first === undefined) return [y, x];
  const z = y.slice();
  xorTweaks(words(z), first + (off >>> 4), 1, false);
  return [aligned8(permute(z)), y];
}

/**
 * XORs into block k of `zw` the tweak (lo, hi, sub, 0) with lo + 2^32·hi = first +
 * ⌊k / perTweak⌋ and sub = k mod perTweak (0 unless `subTweaks`).
 */
function xorTweaks(zw: Int32Array, first: number, perTweak: number, subTweaks: boolean): void {
  const nBlocks = zw.length >>> 2;
  let ot = first;
  let sub = 0;
  for (let k = 0; k < nBlocks; k++) {
    const w = k << 2;
    zw[w] = zw[w]! ^ (ot >>> 0);
    zw[w + 1] = zw[w + 1]! ^ Math.floor(ot / 4294967296);
    if (subTweaks) zw[w + 2] = zw[w + 2]! ^ sub;
    if (++sub === perTweak) {
      sub = 0;
      ot++;
    }
  }
}

/**
 * The low ℓ ≤ 64 bits of H(x ⊕ mask) for each of the first n blocks, in the project's Z_2^ℓ
 * layout: the same AES passes as crHashMasked, but only the needed words are formed.
 */
export function crHashValues(
  blocks: Uint8Array,
  mask: Uint8Array | undefined,
  n: number,
  ell: number,
): Uint32Array {
  return hashValues(blocks, mask, n, ell, undefined);
}

/** crHashValues of the tweakable hash, block k with tweak `first` + k (tccrHashMasked). */
export function tccrHashValues(
  blocks: Uint8Array,
  mask: Uint8Array | undefined,
  n: number,
  ell: number,
  first: number,
): Uint32Array {
  return hashValues(blocks, mask, n, ell, first);
}

function hashValues(
  blocks: Uint8Array,
  mask: Uint8Array | undefined,
  n: number,
  ell: number,
  first: number | undefined,
): Uint32Array {
  const wide = wordsPerValue(ell) === 2;
  const top = topWordMask(ell);
  const out = new Uint32Array(wide ? 2 * n : n);
  const src = aligned8(blocks.subarray(0, 16 * n));
  const tmp = mask ? new Uint8Array(Math.min(CHUNK, src.byteLength)) : undefined;
  const tl = tmp ? lanes(tmp) : undefined;
  const ml = mask ? lanes(mask.slice(0, 16)) : undefined;
  for (let off = 0; off < src.byteLength; off += CHUNK) {
    const len = Math.min(CHUNK, src.byteLength - off);
    let input = src.subarray(off, off + len);
    if (ml && tl && tmp) {
      const x = lanes(input);
      const m0 = ml[0]!;
      const m1 = ml[1]!;
      for (let i = 0; i < x.length; i += 2) {
        tl[i] = x[i]! ^ m0;
        tl[i + 1] = x[i + 1]! ^ m1;
      }
      input = tmp.subarray(0, len);
    }
    const [pi, feed] = hashPasses(input, first, off);
    const x = words(feed);
    const p = words(pi);
    const at = off >>> 4;
    const count = len >>> 4;
    if (wide) {
      for (let i = 0; i < count; i++) {
        out[2 * (at + i)] = p[4 * i]! ^ x[4 * i]!;
        out[2 * (at + i) + 1] = (p[4 * i + 1]! ^ x[4 * i + 1]!) & top;
      }
    } else {
      for (let i = 0; i < count; i++) out[at + i] = (p[4 * i]! ^ x[4 * i]!) & top;
    }
  }
  return out;
}

/**
 * Tweakable correlation-robust hash H(i, x) = π(π(x) ⊕ i) ⊕ π(x) of every block. Block k
 * gets the 128-bit tweak (lo, hi, sub, 0) with lo + 2^32·hi = `first` + ⌊k / perTweak⌋ and
 * sub = k mod perTweak, so a batch of OTs, each hashing `perTweak` blocks, uses distinct
 * tweaks as long as `first` counts OTs (with `subTweaks` false, sub stays 0: the blocks of
 * one OT share its tweak, as in 1-out-of-N where they are the N candidate keys). Two AES
 * passes over the batch.
 */
export function tccrHash(
  blocks: Uint8Array,
  first: number,
  perTweak = 1,
  subTweaks = true,
): Uint8Array {
  const y = fixedKeyPermute(blocks);
  const yw = words(y);
  const z = y.slice();
  xorTweaks(words(z), first, perTweak, subTweaks);
  const out = fixedKeyPermute(z);
  const ow = words(out);
  for (let i = 0; i < ow.length; i++) ow[i]! ^= yw[i]!;
  return out;
}

/** `a` itself when 4-byte aligned, else an aligned copy (views from callers may be odd). */
function aligned(a: Uint8Array): Uint8Array {
  return a.byteOffset & 3
    ? new Uint8Array(a)
    : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Bytes of keystream per cipher call when filling a caller's buffer. */
const FILL_CHUNK = 1 << 15;

/**
 * AES-CTR pseudorandom generator: a 16-byte seed expands to a stream; successive calls
 * continue it. One cipher call per request.
 */
export class AesPrg {
  readonly #keystream: (bytes: number) => Uint8Array;
  constructor(seed: Uint8Array) {
    this.#keystream = ctrKeystream(seed.subarray(0, 16));
  }
  /** The next `bytes` bytes of the stream. */
  next(bytes: number): Uint8Array {
    return aligned8(this.#keystream(bytes));
  }
  /** Fills `out` with the next bytes of the stream, in cache-sized chunks. */
  fill(out: Uint8Array): Uint8Array {
    for (let off = 0; off < out.byteLength; off += FILL_CHUNK) {
      const len = Math.min(FILL_CHUNK, out.byteLength - off);
      out.set(this.#keystream(len), off);
    }
    return out;
  }
}
