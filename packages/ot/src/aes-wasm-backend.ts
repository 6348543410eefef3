/**
 * The AES-128 backend of browsers (the package's `#aes-backend` under the `browser`
 * condition): the bitsliced WebAssembly kernel, so a browser bundle needs no node:crypto.
 * Same contract as aes-node-backend.ts, bit for bit.
 */
import { AesCtrWasm, AesEcbWasm } from './kernels/aes-wasm.js';

/** AES-128-ECB under `key`: encrypts every 16-byte block of a buffer into a new buffer. */
export function ecbEncryptor(key: Uint8Array): (blocks: Uint8Array) => Uint8Array {
  const aes = new AesEcbWasm(key);
  return (blocks) => aes.encrypt(blocks);
}

/** AES-128-CTR under `key` from the zero counter: each call returns the next `bytes` bytes. */
export function ctrKeystream(key: Uint8Array): (bytes: number) => Uint8Array {
  const stream = new AesCtrWasm(key);
  return (bytes) => stream.next(bytes);
}
