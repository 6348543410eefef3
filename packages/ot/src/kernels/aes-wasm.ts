/**
 * Staging for the WebAssembly AES-128 (asm/aes.ts: bitsliced over SIMD, constant time,
 * embedded as base64): the block cipher where node:crypto is absent. Each key is expanded
 * once into its eleven bitsliced round keys, kept here and copied into the module per call;
 * data passes through the module's memory in chunks of 64 KiB.
 */
import { AES_WASM_BASE64 } from './aes.wasm.js';
import { BASE, instantiate, reserve, type WasmMemory } from './wasm.js';

interface Kernel {
  memory: WasmMemory;
  expandKey(key: number, out: number): void;
  ecb(roundKeys: number, src: number, dst: number, count: number): void;
  ctr(roundKeys: number, counter: number, dst: number, count: number): void;
}

/** Eleven round keys of eight 16-byte planes each. */
const ROUND_KEYS_BYTES = 11 * 128;
/** Bytes per kernel call, a multiple of the block. */
const CHUNK = 1 << 16;
const KEYS = BASE;
const COUNTER = BASE + ROUND_KEYS_BYTES;
const DATA = BASE + 2048;

let kernel: Kernel | undefined;

function load(): Kernel {
  if (!kernel) {
    kernel = instantiate<Kernel>(AES_WASM_BASE64);
    reserve(kernel.memory, DATA - BASE + CHUNK);
  }
  return kernel;
}

/** The bitsliced round keys of a 16-byte key. */
function roundKeys(key: Uint8Array): Uint8Array {
  const k = load();
  const u8 = new Uint8Array(k.memory.buffer);
  u8.set(key.subarray(0, 16), DATA);
  k.expandKey(DATA, KEYS);
  return u8.slice(KEYS, KEYS + ROUND_KEYS_BYTES);
}

/** AES-128-ECB under one key. */
export class AesEcbWasm {
  readonly #roundKeys: Uint8Array;

  constructor(key: Uint8Array) {
    this.#roundKeys = roundKeys(key);
  }

  /** Every 16-byte block of `blocks` (length a multiple of 16) encrypted, in a new buffer. */
  encrypt(blocks: Uint8Array): Uint8Array {
    const k = load();
    const u8 = new Uint8Array(k.memory.buffer);
    u8.set(this.#roundKeys, KEYS);
    const out = new Uint8Array(blocks.byteLength);
    for (let off = 0; off < blocks.byteLength; off += CHUNK) {
      const len = Math.min(CHUNK, blocks.byteLength - off);
      u8.set(blocks.subarray(off, off + len), DATA);
      k.ecb(KEYS, DATA, DATA, len >>> 4);
      out.set(u8.subarray(DATA, DATA + len), off);
    }
    return out;
  }
}

/**
 * The AES-128-CTR keystream of one key from an initial counter block (all zero unless given;
 * big-endian, 128 bits, as node:crypto's aes-128-ctr), continued across calls at any byte
 * position.
 */
export class AesCtrWasm {
  readonly #roundKeys: Uint8Array;
  readonly #counter = new Uint8Array(16);
  /** The unused tail of the last block generated. */
  #spare = new Uint8Array(0);

  constructor(key: Uint8Array, counter?: Uint8Array) {
    this.#roundKeys = roundKeys(key);
    if (counter) this.#counter.set(counter.subarray(0, 16));
  }

  /** The next `bytes` bytes of the keystream. */
  next(bytes: number): Uint8Array {
    const out = new Uint8Array(bytes);
    let off = Math.min(this.#spare.byteLength, bytes);
    out.set(this.#spare.subarray(0, off));
    this.#spare = this.#spare.subarray(off);
    if (off === bytes) return out;
    const k = load();
    const u8 = new Uint8Array(k.memory.buffer);
    u8.set(this.#roundKeys, KEYS);
    u8.set(this.#counter, COUNTER);
    for (; off < bytes; off += CHUNK) {
      const len = Math.min(CHUNK, bytes - off);
      const blocks = Math.ceil(len / 16);
      k.ctr(KEYS, COUNTER, DATA, blocks);
      out.set(u8.subarray(DATA, DATA + len), off);
      if (len & 15) this.#spare = u8.slice(DATA + len, DATA + 16 * blocks);
    }
    this.#counter.set(u8.subarray(COUNTER, COUNTER + 16));
    return out;
  }
}
