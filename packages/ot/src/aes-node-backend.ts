/**
 * The AES-128 backend of Node (the package's `#aes-backend` by default): node:crypto, which
 * runs on AES-NI and beats the WebAssembly kernel by far. One cipher call per buffer, because
 * a call per 16-byte block costs ~50× more than the cipher itself.
 */
import { createCipheriv } from 'node:crypto';

/** AES-128-ECB under `key`: encrypts every 16-byte block of a buffer into a new buffer. */
export function ecbEncryptor(key: Uint8Array): (blocks: Uint8Array) => Uint8Array {
  const cipher = createCipheriv('aes-128-ecb', key, null);
  cipher.setAutoPadding(false);
  return (blocks) => cipher.update(blocks);
}

const ZEROS = new Uint8Array(1 << 15);

/** AES-128-CTR under `key` from the zero counter: each call returns the next `bytes` bytes. */
export function ctrKeystream(key: Uint8Array): (bytes: number) => Uint8Array {
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), new Uint8Array(16));
  return (bytes) =>
    cipher.update(bytes <= ZEROS.length ? ZEROS.subarray(0, bytes) : new Uint8Array(bytes));
}
