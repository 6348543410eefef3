import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AesCtrWasm, AesEcbWasm } from '../src/kernels.js';
import { hex, randomU8 } from './helpers.js';

const fromHex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

function nodeEcb(key: Uint8Array, blocks: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  return c.update(blocks);
}

/** SP 800-38A's four plaintext blocks (F.1 and F.5 share them). */
const SP800_38A_PLAINTEXT = fromHex(
  '6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
    '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710',
);
const SP800_38A_KEY = fromHex('2b7e151628aed2a6abf7158809cf4f3c');

describe('WebAssembly AES-128', () => {
  it('matches FIPS-197 appendix C.1', () => {
    const aes = new AesEcbWasm(fromHex('000102030405060708090a0b0c0d0e0f'));
    expect(hex(aes.encrypt(fromHex('00112233445566778899aabbccddeeff')))).toBe(
      '69c4e0d86a7b0430d8cdb78070b4c55a',
    );
  });

  it('matches SP 800-38A F.1.1 (ECB-AES128.Encrypt)', () => {
    expect(hex(new AesEcbWasm(SP800_38A_KEY).encrypt(SP800_38A_PLAINTEXT))).toBe(
      '3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf' +
        '43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4',
    );
  });

  it('matches SP 800-38A F.5.1 (CTR-AES128.Encrypt), keystream read in uneven pieces', () => {
    const ctr = new AesCtrWasm(SP800_38A_KEY, fromHex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff'));
    const stream = new Uint8Array(64);
    stream.set(ctr.next(5));
    stream.set(ctr.next(27), 5);
    stream.set(ctr.next(32), 32);
    for (let i = 0; i < 64; i++) stream[i]! ^= SP800_38A_PLAINTEXT[i]!;
    expect(hex(stream)).toBe(
      '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff' +
        '5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee',
    );
  });

  it('CTR carries across the low 64 bits of the counter as node:crypto does', () => {
    const key = randomU8(16);
    const iv = fromHex('0000000000000007ffffffffffffffff');
    const want = createCipheriv('aes-128-ctr', key, iv).update(new Uint8Array(48));
    expect(hex(new AesCtrWasm(key, iv).next(48))).toBe(hex(want));
  });

  it.each([1, 2, 7, 8, 9, 15, 17, 4095, 4096, 4097, 100_000])(
    'ECB and CTR of %i blocks under a random key equal node:crypto bit for bit',
    (blocks) => {
      const key = randomU8(16);
      const x = randomU8(16 * blocks);
      expect(hex(new AesEcbWasm(key).encrypt(x))).toBe(hex(nodeEcb(key, x)));
      const bytes = 16 * blocks;
      const ctr = new AesCtrWasm(key);
      const got = new Uint8Array(bytes);
      const cut = Math.min(bytes, 3 + (blocks % 13));
      got.set(ctr.next(cut));
      got.set(ctr.next(bytes - cut), cut);
      const want = createCipheriv('aes-128-ctr', key, new Uint8Array(16)).update(
        new Uint8Array(bytes),
      );
      expect(hex(got)).toBe(hex(want));
    },
  );
});
