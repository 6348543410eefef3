// The package's AES as a browser bundle gets it: `#aes-backend` forced to the WebAssembly
// kernel, checked against node:crypto hash by hash, then one IKNP run end to end on it.
import { describe, expect, it, vi } from 'vitest';
import * as backend from '#aes-backend';
import * as nodeBackend from '../src/aes-node-backend.js';
import * as wasmBackend from '../src/aes-wasm-backend.js';
import { AesPrg, crHash, crHashMasked, fixedKeyPermute, tccrHash } from '../src/index.js';
import { hex, iknpPair, randomU8 } from './helpers.js';

vi.mock('#aes-backend', () => import('../src/aes-wasm-backend.js'));

const FIXED_KEY = Uint8Array.from([
  0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97, 0x93, 0x23, 0x84, 0x62, 0x64, 0x33, 0x83, 0x27, 0x95,
]);
const nodePermute = nodeBackend.ecbEncryptor(FIXED_KEY);
const xor = (a: Uint8Array, b: Uint8Array) => a.map((x, i) => x ^ b[i]!);

describe('the WebAssembly AES backend, forced', () => {
  it('is the backend src/aes.ts runs on in this file', () => {
    expect(backend.ecbEncryptor).toBe(wasmBackend.ecbEncryptor);
  });

  it('π, CR and masked CR hashes equal node:crypto’s', () => {
    const x = randomU8(16 * 5001);
    const mask = randomU8(16);
    const px = nodePermute(x);
    expect(hex(fixedKeyPermute(x))).toBe(hex(px));
    expect(hex(crHash(x))).toBe(hex(xor(px, x)));
    const xm = x.map((v, i) => v ^ mask[i & 15]!);
    expect(hex(crHashMasked(x, mask))).toBe(hex(xor(nodePermute(xm), xm)));
  });

  it('the tweakable hash equals π(π(x) ⊕ i) ⊕ π(x) under node:crypto', () => {
    const x = randomU8(16 * 300);
    const y = nodePermute(x);
    const z = y.slice();
    const dv = new DataView(z.buffer);
    for (let k = 0; k < 300; k++) dv.setUint32(16 * k, dv.getUint32(16 * k, true) ^ (7 + k), true);
    expect(hex(tccrHash(x, 7))).toBe(hex(xor(nodePermute(z), y)));
  });

  it('the AES-CTR PRG continues the same stream as node:crypto’s', () => {
    const seed = randomU8(16);
    const prg = new AesPrg(seed);
    const got = [prg.next(3), prg.fill(new Uint8Array(70_001)), prg.next(29)];
    const want = nodeBackend.ctrKeystream(seed)(3 + 70_001 + 29);
    expect(got.map(hex).join('')).toBe(hex(want));
  });

  it('IKNP chosen-message OT delivers m_{r_j} on it', async () => {
    const { sender, receiver } = await iknpPair();
    const n = 1000;
    const m0 = randomU8(16 * n);
    const m1 = randomU8(16 * n);
    const r = randomU8(n, 2);
    const [, got] = await Promise.all([
      sender.chosenOtBytes(m0, m1, 16),
      receiver.chosenOtBytes(r, 16),
    ]);
    for (let j = 0; j < n; j++) {
      const want = (r[j] ? m1 : m0).subarray(16 * j, 16 * j + 16);
      if (hex(got.subarray(16 * j, 16 * j + 16)) !== hex(want)) throw new Error(`OT ${j} wrong`);
    }
  });
});
