/**
 * Noise flooding: the WebAssembly residue kernel against a BigInt reference (widths 33..128,
 * the session's 60-bit primes and primes near 2^62, residues at the edges), and a flooded
 * ciphertext decrypting to the same plaintext with the budget the flood width predicts.
 */
import { randomFillSync } from 'node:crypto';
import { fieldRandom } from '@secinfer/mpc-primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWasm } from '../../../tools/wasm/check.js';
import { floodResidues } from '../src/kernels/flood.js';
import { flood } from '../src/noise.js';
import { type SessionPair, sessionPair } from './helpers.js';

function reference(
  c0: BigUint64Array,
  random: Uint32Array,
  n: number,
  words: number,
  primes: bigint[],
  bits: number,
): BigUint64Array {
  const out = c0.slice();
  const half = 1n << BigInt(bits - 1);
  for (let i = 0; i < n; i++) {
    let u = 0n;
    for (let w = 0; w < words; w++) u = (u << 32n) | BigInt(random[i * words + w]!);
    primes.forEach((q, j) => {
      const e = (((u - half) % q) + q) % q;
      out[j * n + i] = (out[j * n + i]! + e) % q;
    });
  }
  return out;
}

describe('floodResidues', () => {
  const primes = [1152921504606830593n, 1152921504606748673n, (1n << 62n) - 57n];
  for (const bits of [33, 64, 95, 96, 114, 128, 129, 160]) {
    it(`${bits}-bit uniform noise, reduced mod each prime, equals BigInt`, () => {
      const n = 257;
      const words = Math.ceil(bits / 32);
      const random = randomFillSync(new Uint32Array(n * words));
      const top = bits - 32 * (words - 1);
      for (let i = 0; i < n; i++) random[i * words] = random[i * words]! % 2 ** top;
      random.fill(0, 0, words); // U = 0
      for (let w = 0; w < words; w++) random[words + w] = w === 0 ? 2 ** top - 1 : 0xffffffff; // U = 2^b − 1
      const c0 = new BigUint64Array(primes.length * n);
      primes.forEach((q, j) => {
        for (let i = 0; i < n; i++) {
          const r = new BigUint64Array(randomFillSync(new Uint32Array(2)).buffer)[0]! % q;
          c0[j * n + i] = i === 2 ? q - 1n : i === 3 ? 0n : r;
        }
      });
      const got = c0.slice();
      const half = 1n << BigInt(bits - 1);
      floodResidues(
        got,
        random,
        n,
        words,
        primes,
        primes.map((q) => half % q),
      );
      expect(got).toEqual(reference(c0, random, n, words, primes, bits));
    });
  }
});

describe('flood', () => {
  let pair: SessionPair;
  beforeAll(async () => {
    pair = await sessionPair(37);
  });
  afterAll(() => {
    pair.server.dispose();
    pair.client.dispose();
  });

  it('keeps the plaintext and spends the budget the flood width predicts', () => {
    const { client, server, f } = pair;
    const values = fieldRandom(f, 8192);
    const ct = client.encryptor.encryptSymmetric(client.encodeCoefficients(values))!;
    const fresh = client.decryptor!.invariantNoiseBudget(ct);
    const bits = 100;
    const flooded = flood(server, ct, bits);
    const budget = client.decryptor!.invariantNoiseBudget(flooded);
    // |E| < 2^(b−1): the invariant noise grows to ≈ 2^(b−1)·t/q, i.e. budget ≈ Q − T − b.
    const Q = server.primeBits.reduce((a, b) => a + b, 0);
    expect(budget).toBeLessThan(fresh);
    expect(Math.abs(budget - (Q - Math.log2(f.n) - bits))).toBeLessThan(4);
    const plain = client.seal.PlainText();
    client.decryptor!.decrypt(flooded, plain);
    expect(client.decodeCoefficients(plain)).toEqual(values);
    for (const o of [ct, flooded, plain]) o.delete();
  });
});

describe('the embedded module', () => {
  it('is what asm/flood.ts compiles to (no drift)', () => {
    expect(checkWasm(new URL('..', import.meta.url))).toContain('flood.wasm.ts matches');
  }, 60_000);
});
