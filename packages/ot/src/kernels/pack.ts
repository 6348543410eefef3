/**
 * The project's Z_2^ℓ layout (1 ≤ ℓ ≤ 64) and its wire packing — the one definition every
 * package uses. In memory a vector of n values is a Uint32Array of n words for ℓ ≤ 32 and of
 * 2n interleaved (lo, hi) little-endian words for ℓ > 32 (the layout of a BigUint64Array and
 * of WASM i64 memory); values are canonical: bits ≥ ℓ are zero. On the wire n values are a
 * contiguous little-endian bit stream of ⌈nℓ/8⌉ bytes (value i at bits [iℓ, (i+1)ℓ); bit k
 * of the stream is bit k & 7 of byte k >> 3); bits travel as bitsets, least significant first.
 *
 * Every message of every protocol goes through here, so the kernels move whole 32-bit words
 * instead of touching bytes one bit-field at a time, and allocate per vector, never per value.
 * Words are written through a Uint32Array view, which is little-endian on every platform Node
 * and the browsers run on (checked once below). The functions here do not validate their
 * arguments: the protocols that call them have already (mpc-primitives' ringPack, ringUnpack
 * and unpackBits are the checked forms).
 */

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1)
  throw new Error('@secinfer/ot needs a little-endian platform');

/** Uint32 words per value in the Z_2^ℓ layout: 1 for ℓ ≤ 32, 2 for ℓ > 32. */
export function wordsPerValue(ell: number): 1 | 2 {
  return ell > 32 ? 2 : 1;
}

/** The mask of a value's last word: its low ℓ bits for ℓ ≤ 32, its low ℓ − 32 bits above. */
export function topWordMask(ell: number): number {
  const bits = ell > 32 ? ell - 32 : ell;
  return bits === 32 ? 0xffffffff : (1 << bits) - 1;
}

/** Bytes that `count` values of ℓ bits occupy on the wire: ⌈count·ℓ/8⌉ (ℓ = 1 for bits). */
export function packedBytes(count: number, ell: number): number {
  return Math.ceil((count * ell) / 8);
}

/** Packs the first `count` values of `values` (Z_2^ℓ layout) at ℓ bits each. */
export function packValues(values: Uint32Array, count: number, ell: number): Uint8Array {
  const bytes = packedBytes(count, ell);
  // Two spare words: a value's last write may touch the word after its final bit.
  const words = new Uint32Array(Math.ceil(bytes / 4) + 2);
  const x = values.subarray(0, count * wordsPerValue(ell));
  if (ell === 32 || ell === 64) words.set(x);
  else if (ell < 32) packNarrow(words, x, ell, topWordMask(ell));
  else packWide(words, x, ell, topWordMask(ell));
  return new Uint8Array(words.buffer, 0, bytes);
}

/*
 * The kernels address value i directly at stream bit p = iℓ: word p >> 5, offset p & 31.
 * Words after the current value's first word are assigned (not OR-ed): no earlier value
 * reached them, and later ones OR into them afterwards. Measured 1.4× (pack) and 3.5×
 * (unpack) faster than a running bit accumulator at ℓ = 37.
 */

function packNarrow(out: Uint32Array, x: Uint32Array, ell: number, mask: number): void {
  let p = 0;
  for (let i = 0; i < x.length; i++) {
    const w = p >>> 5;
    const o = p & 31;
    const v = x[i]! & mask;
    out[w]! |= v << o;
    out[w + 1] = o === 0 ? 0 : v >>> (32 - o); // v's bits above the word, if any (else 0)
    p += ell;
  }
}

function packWide(out: Uint32Array, x: Uint32Array, ell: number, maskHi: number): void {
  let p = 0;
  for (let i = 0; i < x.length; i += 2) {
    const w = p >>> 5;
    const o = p & 31;
    const lo = x[i]!;
    const hi = x[i + 1]! & maskHi;
    if (o === 0) {
      out[w] = lo;
      out[w + 1] = hi;
    } else {
      out[w]! |= lo << o;
      out[w + 1] = (lo >>> (32 - o)) | (hi << o);
      out[w + 2] = hi >>> (32 - o);
    }
    p += ell;
  }
}

/**
 * Unpacks `count` values of ℓ bits from the first ⌈count·ℓ/8⌉ bytes of `bytes` (which must
 * have at least that many) into the Z_2^ℓ layout; bits beyond the last value are ignored.
 */
export function unpackValues(bytes: Uint8Array, count: number, ell: number): Uint32Array {
  const words = alignedWords(bytes.subarray(0, packedBytes(count, ell)));
  const out = new Uint32Array(count * wordsPerValue(ell));
  if (ell === 32 || ell === 64) out.set(words.subarray(0, out.length));
  else if (ell < 32) unpackNarrow(out, words, ell, topWordMask(ell));
  else unpackWide(out, words, ell, topWordMask(ell));
  return out;
}

/** The bytes as whole little-endian words (copied when unaligned or not a multiple of 4). */
function alignedWords(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0 && bytes.length % 4 === 0)
    return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const words = new Uint32Array(Math.ceil(bytes.length / 4));
  new Uint8Array(words.buffer).set(bytes);
  return words;
}

function unpackNarrow(out: Uint32Array, words: Uint32Array, ell: number, mask: number): void {
  const last = words.length - 1;
  let p = 0;
  for (let i = 0; i < out.length; i++) {
    const w = p >>> 5;
    const o = p & 31;
    const low = words[w]!;
    // The next word only matters when the value crosses into it; past the end it is absent.
    const next = w < last ? words[w + 1]! : 0;
    out[i] = (o === 0 ? low : (low >>> o) | (next << (32 - o))) & mask;
    p += ell;
  }
}

function unpackWide(out: Uint32Array, words: Uint32Array, ell: number, maskHi: number): void {
  const last = words.length - 1;
  let p = 0;
  for (let i = 0; i < out.length; i += 2) {
    const w = p >>> 5;
    const o = p & 31;
    const w0 = words[w]!;
    const w1 = words[w + 1]!; // exists: a value of more than 32 bits spans two words
    if (o === 0) {
      out[i] = w0;
      out[i + 1] = w1 & maskHi;
    } else {
      const w2 = w + 1 < last ? words[w + 2]! : 0;
      out[i] = (w0 >>> o) | (w1 << (32 - o));
      out[i + 1] = ((w1 >>> o) | (w2 << (32 - o))) & maskHi;
    }
    p += ell;
  }
}

/**
 * Packs one 0/1 byte per entry at one bit each, least significant first, into `bytes` bytes
 * (default ⌈n/8⌉; more zero-pads, e.g. to a whole OT-extension batch).
 */
export function packBits(bits: Uint8Array, bytes = Math.ceil(bits.length / 8)): Uint8Array {
  const n = bits.length;
  const out = new Uint8Array(bytes);
  const whole = n >>> 3;
  for (let j = 0; j < whole; j++) {
    const i = j << 3;
    out[j] =
      (bits[i]! & 1) |
      ((bits[i + 1]! & 1) << 1) |
      ((bits[i + 2]! & 1) << 2) |
      ((bits[i + 3]! & 1) << 3) |
      ((bits[i + 4]! & 1) << 4) |
      ((bits[i + 5]! & 1) << 5) |
      ((bits[i + 6]! & 1) << 6) |
      ((bits[i + 7]! & 1) << 7);
  }
  for (let i = whole << 3; i < n; i++) out[whole]! |= (bits[i]! & 1) << (i & 7);
  return out;
}
