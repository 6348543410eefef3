/**
 * The WebAssembly NTT (asm/ntt.ts) bit for bit against SEAL's (node-seal as the oracle: a
 * plaintext's and a ciphertext's NTT residues, both directions, at N = 8192 over every data
 * prime) and, on small N, the NTT product against a BigInt schoolbook negacyclic product; the
 * modulus switch and the ring decoding against SEAL's and BigInt's; the tables' root.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalPrimitiveRoot, powMod } from '../src/kernels/ntt-tables.js';
import { ProductArena } from '../src/kernels/products.js';
import { SLOTS } from '../src/params.js';
import { type CipherText, withScope } from '../src/seal.js';
import { type SessionPair, sessionPair, shares } from './helpers.js';

const N = SLOTS;
const none = (pair: SessionPair) => pair.server.seal.ComprModeType.none;
/** The residues that end a SEAL serialization (`words` u64). */
const tail = (bytes: Uint8Array, words: number) =>
  new BigUint64Array(bytes.slice(bytes.length - 8 * words).buffer);

/** a·b mod (X^n + 1, q), from the definition. */
function schoolbook(a: bigint[], b: bigint[], q: bigint): bigint[] {
  const n = a.length;
  const out = new Array<bigint>(n).fill(0n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const term = a[i]! * b[j]!;
      const at = i + j;
      if (at < n) out[at] = (out[at]! + term) % q;
      else out[at - n] = (((out[at - n]! - term) % q) + q) % q;
    }
  return out;
}

describe('NTT kernel against SEAL', () => {
  let pair: SessionPair;
  let primes: readonly bigint[];
  let k: number;

  beforeAll(async () => {
    pair = await sessionPair(37);
    primes = pair.server.primes;
    k = primes.length;
  });
  afterAll(() => {
    pair.server.dispose();
    pair.client.dispose();
  });

  it('moves a plaintext to NTT form as plainTransformToNtt does, and back', () => {
    const { server } = pair;
    const t = server.params.plainModulus;
    const values = shares(pair.f, N).x;
    // Centred, as SEAL lifts plaintext coefficients; the edges too.
    values.set([0, 1, t - 1, (t - 1) / 2, (t + 1) / 2]);
    const centred = values.map((v) => (v >= t / 2 ? v - t : v));
    withScope((scope) => {
      const plain = scope.track(server.encodeCoefficients(values));
      server.evaluator.plainTransformToNtt(plain, server.firstParmsId, plain);
      const expected = tail(plain.saveArray(none(pair)), k * N);
      const arena = new ProductArena(primes, N);
      const at = arena.alloc(arena.plaintextBytes);
      arena.lift(at, centred);
      const lifted = arena.words(at, k * N).slice();
      arena.forward(at, k);
      expect(arena.words(at, k * N)).toEqual(expected);
      arena.inverse(at, k);
      expect(arena.words(at, k * N)).toEqual(lifted);
    });
  });

  it('moves a ciphertext between the domains as SEAL does, both ways', () => {
    const { client, server } = pair;
    withScope((scope) => {
      const plain = scope.track(client.encodeCoefficients(shares(pair.f, N).x));
      const ct = scope.track(client.encryptor.encryptSymmetric(plain) as CipherText);
      const coefficients = tail(ct.saveArray(none(pair)), 2 * k * N);
      server.evaluator.cipherTransformToNtt(ct, ct);
      const ntt = tail(ct.saveArray(none(pair)), 2 * k * N);
      const arena = new ProductArena(primes, N);
      const at = arena.alloc(arena.ciphertextBytes);
      arena.words(at, 2 * k * N).set(coefficients);
      arena.forward(at, 2 * k);
      expect(arena.words(at, 2 * k * N)).toEqual(ntt);
      arena.inverse(at, 2 * k);
      expect(arena.words(at, 2 * k * N)).toEqual(coefficients);
    });
  });

  it('switches a ciphertext down to each level as cipherModSwitchToNext does', () => {
    const { client, server } = pair;
    withScope((scope) => {
      const plain = scope.track(client.encodeCoefficients(shares(pair.f, N).x));
      const ct = scope.track(client.encryptor.encryptSymmetric(plain) as CipherText);
      const arena = new ProductArena(primes, N);
      const at = arena.alloc(arena.ciphertextBytes);
      arena.words(at, 2 * k * N).set(tail(ct.saveArray(none(pair)), 2 * k * N));
      for (let kept = k - 1; kept >= 1; kept--) {
        server.evaluator.cipherModSwitchToNext(ct, ct);
        arena.modSwitch(at, kept + 1, kept);
        expect(arena.words(at, 2 * kept * N)).toEqual(tail(ct.saveArray(none(pair)), 2 * kept * N));
      }
    });
  });

  it('finds SEAL-style least primitive roots: ψ^n = −1, and no smaller odd power', () => {
    for (const q of primes) {
      const psi = minimalPrimitiveRoot(q, 16);
      expect(powMod(psi, 16n, q)).toBe(q - 1n);
      for (let e = 1n; e < 32n; e += 2n) expect(powMod(psi, e, q) >= psi).toBe(true);
    }
  });

  it.each([2, 16, 64])('multiplies negacyclically at n = %i as the schoolbook product', (n) => {
    const arena = new ProductArena(primes, n);
    const [a, b] = [arena.alloc(8 * k * n), arena.alloc(8 * k * n)];
    const random = () => BigInt(Math.floor(Math.random() * 2 ** 52)) * 4096n;
    const xs = primes.map((q) => Array.from({ length: n }, () => random() % q));
    const ys = primes.map((q, j) =>
      Array.from({ length: n }, (_, i) => (j === 0 && i === 0 ? q - 1n : random() % q)),
    );
    arena.words(a, k * n).set(xs.flat());
    arena.words(b, k * n).set(ys.flat());
    arena.forward(a, k);
    arena.forward(b, k);
    arena.multiply(a, a, b);
    arena.inverse(a, k);
    expect(Array.from(arena.words(a, k * n))).toEqual(
      primes.flatMap((q, j) => schoolbook(xs[j]!, ys[j]!, q)),
    );
  });

  it('decodes the ring message ⌊2^ℓ·x/q⌉ mod 2^ℓ and its error as BigInt does', () => {
    const q = primes[0]!;
    const arena = new ProductArena(primes, N);
    const at = arena.alloc(8 * N);
    const xs = Array.from({ length: N }, (_, i) =>
      i < 4
        ? [0n, 1n, q - 1n, q / 2n][i]!
        : (BigInt(Math.floor(Math.random() * 2 ** 52)) << 8n) % q,
    );
    for (const ell of [2, 32, 41]) {
      arena.words(at, N).set(xs);
      const { values, worst } = arena.decode(at, ell);
      const t = 1n << BigInt(ell);
      let most = 0n;
      xs.forEach((x, i) => {
        const m = (x * t + q / 2n) / q;
        const error = x * t - m * q;
        if ((error < 0n ? -error : error) > most) most = error < 0n ? -error : error;
        expect(values[i]).toBe(Number(m % t));
      });
      expect(worst).toBe(most);
    }
  });
});

describe('the sparse forward NTT (kernel plaintexts)', () => {
  const primes = [1152921504606830593n, 1099511922689n]; // a 60-bit and a 41-bit prime ≡ 1 mod 2N
  const arena = new ProductArena(primes, N);
  const [sparse, dense] = [arena.alloc(arena.plaintextBytes), arena.alloc(arena.plaintextBytes)];
  /** count distinct positions (0 and N − 1 among them, many sharing a residue mod 128). */
  const support = (count: number): Int32Array => {
    const chosen = new Set<number>([0, N - 1, 5, 5 + 128, 5 + 128 * 63]);
    while (chosen.size < count) chosen.add(Math.floor(Math.random() * N));
    return Int32Array.from([...chosen].slice(0, count));
  };

  it.each([0, 1, 5, 144, 383, 384, 1000])('equals the dense transform for %i nonzeros', (count) => {
    const positions =
      count < 5 ? Int32Array.from([0, N - 1, 7, 9].slice(0, count)) : support(count);
    const values = Float64Array.from({ length: count }, (_, c) =>
      c % 3 === 0 ? -(2 ** 40) + c : Math.floor((Math.random() - 0.5) * 2 ** 41),
    );
    arena.sparseForward(sparse, positions, values, count);
    const coefficients = new Float64Array(N);
    positions.forEach((p, c) => {
      coefficients[p] = values[c]!;
    });
    arena.lift(dense, coefficients);
    arena.forward(dense, primes.length);
    expect(arena.words(sparse, primes.length * N)).toEqual(arena.words(dense, primes.length * N));
  });
});
