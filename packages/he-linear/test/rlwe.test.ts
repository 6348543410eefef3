/**
 * The ring's own RLWE randomness (rlwe.ts) and encryptions: SEAL's distributions (ternary u,
 * centred binomial errors of variance 21/2), the seed's expansion (deterministic, uniform
 * below each prime, pinned by a vector: it is a wire format), the client's seeded encryption
 * decrypting to its message with a fresh ciphertext's budget, and a server that refuses a
 * malformed seeded input (length, a residue not below its prime) before answering.
 */
import { ring, ringRandom } from '@secinfer/mpc-primitives';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HeShapeError } from '../src/errors.js';
import { ProductArena } from '../src/kernels/products.js';
import { ringHeParamsFor } from '../src/params.js';
import { heConv2dRing } from '../src/protocols/ring.js';
import { seededCiphertextBytes } from '../src/ring-bfv.js';
import {
  CBD_MAX,
  expandSeed,
  packedResiduesBytes,
  SEED_BYTES,
  sampleCbd,
  sampleTernary,
} from '../src/rlwe.js';
import type { HeSession } from '../src/session.js';
import { contextOf, convLayer, setupPair } from './helpers.js';

const N = 8192;

describe('small polynomials', () => {
  it('u is ternary, each value with probability 1/3', () => {
    const n = 8 * N;
    const u = sampleTernary(n);
    const counts = new Map<number, number>();
    for (const v of u) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([-1, 0, 1]);
    // Each count is binomial(n, 1/3): 6 standard deviations either side.
    const sd = Math.sqrt((n * 2) / 9);
    for (const count of counts.values()) expect(Math.abs(count - n / 3)).toBeLessThan(6 * sd);
  });

  it('errors are centred binomial: |e| ≤ 21, mean 0, variance 21/2', () => {
    const n = 8 * N;
    const e = sampleCbd(n);
    let [sum, squares, largest] = [0, 0, 0];
    for (const v of e) {
      sum += v;
      squares += v * v;
      largest = Math.max(largest, Math.abs(v));
    }
    expect(largest).toBeLessThanOrEqual(CBD_MAX);
    expect(largest).toBeGreaterThan(10);
    const variance = 21 / 2;
    expect(Math.abs(sum / n)).toBeLessThan(6 * Math.sqrt(variance / n));
    // The sample variance's standard deviation is ≈ variance·√(2/n) (≈ 0.06 here).
    expect(Math.abs(squares / n - variance)).toBeLessThan(0.5);
  });
});

describe('seed expansion', () => {
  const primes = [1152921504606830593n, 1099511922689n]; // a 60-bit and a 41-bit prime ≡ 1 mod 2N
  const seed = Uint8Array.from({ length: SEED_BYTES }, (_, i) => i);
  const arena = new ProductArena(primes, N);
  const at = arena.alloc(arena.plaintextBytes);
  const expand = (s: Uint8Array) => {
    expandSeed(s, arena, at);
    return arena.words(at, primes.length * N).slice();
  };
  /** Whether the residues survive packing: unpacking checks each is below its prime. */
  const canonical = (words: BigUint64Array) => {
    const packed = new Uint8Array(packedResiduesBytes(words.length));
    arena.words(at, words.length).set(words);
    arena.pack(at, packed);
    return arena.unpack(at, packed);
  };

  it('is deterministic, canonical, and pinned (it is a wire format)', () => {
    const a = expand(seed);
    expect(expand(seed)).toEqual(a);
    expect(canonical(a)).toBe(true);
    const other = seed.slice();
    other[0] = 1;
    expect(expand(other)[0]).not.toBe(a[0]);
    // Seed 0, 1, …, 15: the first two residues mod each prime.
    expect([a[0], a[1], a[N], a[N + 1]]).toEqual([
      169887221866537414n,
      709537536778784623n,
      856067565646n,
      147473884591n,
    ]);
  });

  it('is uniform below each prime: the 41-bit one rejects ≈ half its draws, keeps none ≥ q', () => {
    const a = expand(seed);
    for (const [j, q] of primes.entries()) {
      let high = 0;
      for (let i = j * N; i < (j + 1) * N; i++) {
        expect(a[i]! < q).toBe(true);
        if (a[i]! >= q / 2n) high++;
      }
      // Half the residues lie above q/2: binomial(N, 1/2), 6 standard deviations.
      expect(Math.abs(high - N / 2)).toBeLessThan(6 * Math.sqrt(N / 4));
    }
  });

  it('a residue equal to its prime is not canonical, in either row', () => {
    for (const index of [5, N + 5]) {
      const a = expand(seed);
      a[index] = primes[index < N ? 0 : 1]!;
      expect(canonical(a)).toBe(false);
    }
  });
});

describe('60-bit packing', () => {
  const primes = [(1n << 60n) - 93n, (1n << 60n) - 173n];
  const arena = new ProductArena(primes, N);
  const at = arena.alloc(arena.plaintextBytes);

  it('round-trips residues up to 2^60 − 1, 15 bytes per pair, pinned', () => {
    const seed = Uint8Array.from({ length: SEED_BYTES }, (_, i) => 3 * i);
    expandSeed(seed, arena, at);
    const words = arena.words(at, 2 * N).slice();
    words.set([0n, (1n << 60n) - 1n, 1n << 59n, (1n << 32n) - 1n], 0);
    words.set([primes[1]! - 1n, 0x0123456789abcden], 2 * N - 2);
    arena.words(at, 2 * N).set(words);
    const bytes = new Uint8Array(packedResiduesBytes(words.length));
    expect(bytes.length).toBe(15 * N);
    arena.pack(at, bytes);
    // The layout: low halves, then high0 | high1 << 28 over 7 bytes.
    expect(Array.from(bytes.subarray(0, 15))).toEqual([
      0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0xf0, 0xff, 0xff, 0xff,
    ]);
    arena.words(at, 2 * N).fill(0n);
    // 2^60 − 1 lies above the first prime: the words come back, flagged not canonical.
    expect(arena.unpack(at, bytes)).toBe(false);
    expect(arena.words(at, 2 * N)).toEqual(words);
    words[1] = primes[0]! - 1n;
    arena.words(at, 2 * N).set(words);
    arena.pack(at, bytes);
    expect(arena.unpack(at, bytes)).toBe(true);
    expect(arena.words(at, 2 * N)).toEqual(words);
  });

  it('refuses a residue of 2^60, and packed bytes of the wrong length', () => {
    arena.words(at, 2 * N).fill(1n);
    arena.words(at, 2).set([1n, 1n << 60n]);
    expect(() => arena.pack(at, new Uint8Array(15 * N))).toThrow(RangeError);
    expect(() => arena.unpack(at, new Uint8Array(15 * N - 1))).toThrow(RangeError);
  });
});

describe('a ring session', () => {
  const ell = 32;
  let server: HeSession;
  let client: HeSession;
  beforeAll(async () => {
    ({ server, client } = await setupPair(ringHeParamsFor(ell, { weightBits: 16 })));
  });
  afterAll(() => {
    server.dispose();
    client.dispose();
  });

  it("the client's seeded encryption decrypts to its message with a fresh budget", () => {
    const m = Float64Array.from({ length: N }, (_, i) => (i * 2654435761) % 2 ** ell);
    const bytes = client.encryptRing(m);
    const k = client.primes.length;
    expect(bytes.length).toBe(seededCiphertextBytes(k));
    // c1 = INTT(the seed's expansion): rebuild the full ciphertext as SEAL would save it.
    const arena = new ProductArena(client.primes, N);
    const c1 = arena.alloc(arena.plaintextBytes);
    expandSeed(bytes.subarray(0, SEED_BYTES), arena, c1);
    arena.inverse(c1, k);
    const header = client.levelHeader(k);
    const full = new Uint8Array(header.length + 16 * k * N);
    full.set(header);
    const c0 = arena.alloc(arena.plaintextBytes);
    expect(arena.unpack(c0, bytes.subarray(SEED_BYTES))).toBe(true);
    full.set(arena.bytes(c0, 8 * k * N), header.length);
    full.set(arena.bytes(c1, 8 * k * N), header.length + 8 * k * N);
    const { values, budget } = client.decryptRing(full, k);
    expect(values).toEqual(m);
    // The ring's rounding term |2^ℓ·e − (q mod 2^ℓ)·m| < 2^2ℓ dominates a fresh ciphertext's
    // error (ring-bfv.ts): budget ≥ ⌊Q − 2ℓ − 1⌋, with Q = log2 q.
    const Q = client.primeBits.reduce((sum, b) => sum + b, 0);
    expect(budget).toBeGreaterThanOrEqual(Math.floor(Q - 2 * ell - 1.01));
  });
});

describe('a server refuses a malformed seeded input', () => {
  const layer = convLayer(1, 4, 4, 1, [1, 1], [1, 1], [0, 0, 0, 0]);
  const cases: [string, RegExp, (good: Uint8Array, prime: bigint) => Uint8Array][] = [
    ['one byte short', /has 184335 bytes/, (good) => good.subarray(1)],
    [
      'a residue equal to its prime',
      /a residue not below its prime/,
      (good, prime) => {
        const bad = good.slice();
        // Residue 7 (the second of pair 3) set to the prime itself: its low half at bytes
        // 4..7 of the pair, its high 28 bits in the pair's last 3.5 bytes.
        const pair = SEED_BYTES + 15 * 3;
        const view = new DataView(bad.buffer);
        view.setUint32(pair + 4, Number(prime & 0xffffffffn), true);
        const high = Number(prime >> 32n);
        view.setUint8(pair + 11, (view.getUint8(pair + 11) & 0xf) | ((high & 0xf) << 4));
        view.setUint8(pair + 12, (high >>> 4) & 0xff);
        view.setUint16(pair + 13, high >>> 12, true);
        return bad;
      },
    ],
  ];
  for (const [what, message, corrupt] of cases)
    it(what, async () => {
      const { server, client, clientChannel } = await setupPair(
        ringHeParamsFor(32, { weightBits: 16 }),
      );
      try {
        const r = ring(32);
        const answer = heConv2dRing(contextOf(server), layer, ringRandom(r, 16), Uint32Array.of(3));
        const good = client.encryptRing(new Float64Array(N));
        await clientChannel.send(corrupt(good, server.primes[0]!));
        await expect(answer).rejects.toThrow(HeShapeError);
        await expect(answer).rejects.toThrow(message);
      } finally {
        server.dispose();
        client.dispose();
      }
    });
});
