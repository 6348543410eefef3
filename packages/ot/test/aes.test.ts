import { sha256 } from '@noble/hashes/sha2';
import { describe, expect, it } from 'vitest';
import { tccrHashValues } from '../src/aes.js';
import {
  AesPrg,
  aesEcb,
  crHash,
  fixedKeyPermute,
  randomBytes,
  tccrHash,
  tccrHashMasked,
} from '../src/index.js';
import { hex, randomU8 } from './helpers.js';

const fromHex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('AES and hashing', () => {
  it('AES-128 matches FIPS-197 appendix C.1', () => {
    const key = fromHex('000102030405060708090a0b0c0d0e0f');
    const ct = aesEcb(key, fromHex('00112233445566778899aabbccddeeff'));
    expect(hex(ct)).toBe('69c4e0d86a7b0430d8cdb78070b4c55a');
  });

  it('SHA-256 (base-OT key derivation) matches FIPS 180-2 "abc"', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('AES-CTR PRG is AES of a big-endian counter from 0, continued across calls', () => {
    const seed = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
    const counters = new Uint8Array(48);
    counters[15] = 0;
    counters[31] = 1;
    counters[47] = 2;
    const expected = aesEcb(seed, counters);
    const prg = new AesPrg(seed);
    const got = new Uint8Array(48);
    got.set(prg.next(20));
    got.set(prg.next(28), 20);
    expect(hex(got)).toBe(hex(expected));
  });

  it('crHash(x) = π(x) ⊕ x over a batch, block by block', () => {
    const x = randomU8(16 * 1000);
    const h = crHash(x);
    const p = fixedKeyPermute(x);
    for (let i = 0; i < x.length; i++) expect(h[i]).toBe(p[i]! ^ x[i]!);
    expect(hex(crHash(x.subarray(16 * 7, 16 * 8)))).toBe(hex(h.subarray(16 * 7, 16 * 8)));
  });

  it('tccrHash(i, x) = π(π(x) ⊕ i) ⊕ π(x) with tweak (lo, hi, sub, 0)', () => {
    const x = randomU8(16 * 6);
    const first = 2 ** 32 + 5;
    const h = tccrHash(x, first, 3);
    for (let k = 0; k < 6; k++) {
      const px = fixedKeyPermute(x.subarray(16 * k, 16 * k + 16));
      const z = px.slice();
      const dv = new DataView(z.buffer, z.byteOffset, 16);
      const ot = first + Math.floor(k / 3);
      dv.setUint32(0, dv.getUint32(0, true) ^ (ot >>> 0), true);
      dv.setUint32(4, dv.getUint32(4, true) ^ Math.floor(ot / 2 ** 32), true);
      dv.setUint32(8, dv.getUint32(8, true) ^ (k % 3), true);
      const pz = fixedKeyPermute(z);
      for (let i = 0; i < 16; i++) pz[i] = pz[i]! ^ px[i]!;
      expect(hex(h.subarray(16 * k, 16 * k + 16))).toBe(hex(pz));
    }
  });

  it('tccrHashMasked and tccrHashValues are tccrHash of x ⊕ mask, across AES chunks', () => {
    // 5000 blocks span two 64 KiB chunks: the second chunk's tweaks continue the first's.
    const x = randomU8(16 * 5000);
    const mask = randomU8(16);
    const first = 2 ** 32 - 3000;
    const masked = x.slice();
    for (let i = 0; i < masked.length; i++) masked[i]! ^= mask[i & 15]!;
    const want = tccrHash(masked, first);
    expect(hex(tccrHashMasked(x, mask, first))).toBe(hex(want));
    expect(hex(tccrHashMasked(masked, undefined, first))).toBe(hex(want));
    const into = randomU8(x.length);
    const xored = into.slice();
    for (let i = 0; i < xored.length; i++) xored[i]! ^= want[i]!;
    tccrHashMasked(x, mask, first, into);
    expect(hex(into)).toBe(hex(xored));
    const values = tccrHashValues(x, mask, 5000, 37, first);
    const ww = new Uint32Array(want.buffer);
    for (let k = 0; k < 5000; k++) {
      if (values[2 * k] !== ww[4 * k] || values[2 * k + 1] !== (ww[4 * k + 1]! & 31))
        throw new Error(`value ${k}`);
    }
    expect(hex(want.subarray(0, 16))).not.toBe(hex(tccrHash(masked.subarray(0, 16), first + 1)));
  });

  it('randomBytes is not constant', () => {
    expect(hex(randomBytes(32))).not.toBe(hex(randomBytes(32)));
  });
});
