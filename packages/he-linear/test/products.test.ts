/**
 * The WebAssembly product sums against node-seal's own multiplyPlain + add, bit for bit, on
 * real (uniformly distributed) residues — kernel plaintexts made from their coefficients and
 * inputs moved to NTT form by our NTT, the sum moved back by it, SEAL's made and moved by SEAL;
 * across the kernel's 8-term chunk boundary, with repeated inputs — and against BigInt
 * arithmetic on the worst case the limb bounds allow (every residue q − 1), which random data
 * would almost never reach — on operands in product form (each residue's limbs split).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductArena } from '../src/kernels/products.js';
import { SLOTS } from '../src/params.js';
import { ServerInputs } from '../src/protocols/inputs.js';
import { withScope } from '../src/seal.js';
import { type SessionPair, sessionPair, shares } from './helpers.js';

describe('product sums in the NTT domain', () => {
  const everyPosition = Int32Array.from({ length: SLOTS }, (_, i) => i);
  let pair: SessionPair;
  let inputs: ServerInputs;
  const INPUTS = 6;

  beforeAll(async () => {
    pair = await sessionPair(37);
    const { client, server } = pair;
    const serialized = Array.from({ length: INPUTS }, () =>
      withScope((scope) => {
        const plain = scope.track(client.encodeCoefficients(shares(pair.f, SLOTS).x));
        const ct = scope.track(client.encryptor.encryptSymmetricSerializable(plain));
        return ct.saveArray(client.seal.ComprModeType.none);
      }),
    );
    inputs = new ServerInputs(server, serialized);
  });
  afterAll(() => {
    inputs.dispose();
    pair.server.dispose();
    pair.client.dispose();
  });

  it.each([1, 7, 8, 9, 20])('equals SEAL for %i terms', (count) => {
    const { server } = pair;
    withScope((scope) => {
      const terms: [number, number][] = [];
      let expected = null;
      for (let t = 0; t < count; t++) {
        const coefficients = shares(pair.f, SLOTS).x;
        const plain = scope.track(server.encodeCoefficients(coefficients));
        server.evaluator.plainTransformToNtt(plain, server.firstParmsId, plain);
        const input = (t * 5) % INPUTS;
        terms.push([input, inputs.kernel(everyPosition, coefficients, SLOTS)]);
        const product = scope.track(server.seal.CipherText());
        server.evaluator.multiplyPlain(inputs.ciphertext(input), plain, product);
        if (expected) server.evaluator.add(expected, product, expected);
        else expected = product;
      }
      const sum = inputs.productSum(terms, scope)!;
      expect(sum.isNttForm).toBe(false);
      server.evaluator.cipherTransformFromNtt(expected!, expected!);
      const none = server.seal.ComprModeType.none;
      expect(Buffer.from(sum.saveArray(none)).equals(Buffer.from(expected!.saveArray(none)))).toBe(
        true,
      );
      inputs.releaseKernels();
    });
  });

  it('returns null without terms', () => {
    withScope((scope) => expect(inputs.productSum([], scope)).toBeNull());
  });
});

describe('ProductArena', () => {
  const primes = [(1n << 60n) - 93n, (1n << 59n) + 21n, (1n << 41n) + 15n];
  const n = 16;
  const fill = (arena: ProductArena, at: number, values: BigUint64Array) =>
    arena.write(at, new Uint8Array(values.buffer));

  it('sums 17 worst-case terms exactly (every residue q − 1)', () => {
    const k = primes.length;
    const arena = new ProductArena(primes, n);
    const ct = new BigUint64Array(2 * k * n);
    const pt = new BigUint64Array(k * n);
    for (let j = 0; j < k; j++)
      for (let i = 0; i < n; i++) {
        ct[j * n + i] = primes[j]! - 1n;
        ct[(k + j) * n + i] = primes[j]! - 1n - BigInt(i);
        pt[j * n + i] = primes[j]! - 1n - BigInt(3 * i);
      }
    const ctAt = arena.alloc(arena.ciphertextBytes);
    const ptAt = arena.alloc(arena.plaintextBytes);
    fill(arena, ctAt, ct);
    fill(arena, ptAt, pt);
    arena.toProductForm(ctAt, 2 * k);
    arena.toProductForm(ptAt, k);
    const got = arena
      .words(
        arena.sum(Array.from({ length: 17 }, () => [ctAt, ptAt] as const)),
        arena.ciphertextBytes / 8,
      )
      .slice();
    for (let p = 0; p < 2; p++)
      for (let j = 0; j < k; j++)
        for (let i = 0; i < n; i++) {
          const at = (p * k + j) * n + i;
          expect(got[at]).toBe((17n * ct[at]! * pt[j * n + i]!) % primes[j]!);
        }
  });

  it('sums no terms to zero, whatever the last sum left', () => {
    const arena = new ProductArena(primes, n);
    const ctAt = arena.alloc(arena.ciphertextBytes);
    const ptAt = arena.alloc(arena.plaintextBytes);
    fill(arena, ctAt, new BigUint64Array(2 * primes.length * n).fill(5n));
    fill(arena, ptAt, new BigUint64Array(primes.length * n).fill(7n));
    arena.toProductForm(ctAt, 2 * primes.length);
    arena.toProductForm(ptAt, primes.length);
    const first = arena.words(arena.sum([[ctAt, ptAt]]), 2 * primes.length * n);
    expect(first.every((v) => v === 35n)).toBe(true);
    const empty = arena.words(arena.sum([]), 2 * primes.length * n);
    expect(empty.every((v) => v === 0n)).toBe(true);
  });

  it('rejects primes the limb bounds do not cover', () => {
    expect(() => new ProductArena([1n << 60n], n)).toThrow(/between 2\^40 and 2\^60/);
  });

  it('rejects a degree that is not a power of two', () => {
    expect(() => new ProductArena(primes, 24)).toThrow(/power-of-two degree, not 24/);
  });
});
