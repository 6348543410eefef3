/**
 * matmulServerWeights and fullyConnectedServerWeights end to end on the real OT stack: the
 * reconstructed output equals the cleartext product mod 2^ℓ bit for bit, in both orientations,
 * and the bytes equal the formula; parameter mismatches fail before any I/O.
 */
import { SERVER } from '@secinfer/mpc-primitives';
import { vectorCotBatchSize } from '@secinfer/ot';
import { describe, expect, it } from 'vitest';
import {
  clientChooses,
  fullyConnectedServerWeights,
  matmulServerWeights,
  OtLinearError,
} from '../src/index.js';
import { localMatmul } from '../src/kernels/matrix.js';
import {
  both,
  fromLayout,
  matmulBytes,
  matmulOracle,
  randomValues,
  reconstruct,
  share,
  sharedSession,
  signedValues,
  toLayout,
  totalBytes,
} from './helpers.js';

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 2], // client's share chooses
  [2, 4, 7], // server's weights choose
  [6, 1, 6],
  [1, 9, 1],
  [17, 3, 16],
];

describe('matmulServerWeights', () => {
  for (const ell of [32, 37]) {
    it.each(SHAPES)(
      `ℓ = ${ell}: %i × %i × %i equals W·X mod 2^ℓ; bytes = formula`,
      async (d1, d2, d3) => {
        const w = randomValues(d1 * d2, ell);
        const x = randomValues(d2 * d3, ell);
        const [x0, x1] = share(x, ell);
        const dims = { d1, d2, d3 };
        const { results, bytes } = await both((p, ctx) =>
          matmulServerWeights(
            ctx,
            dims,
            ell,
            p === SERVER ? x0 : x1,
            p === SERVER ? toLayout(w, ell) : undefined,
          ),
        );
        expect(reconstruct(results[0], results[1], ell)).toEqual(
          matmulOracle(w, x, d1, d2, d3, ell),
        );
        const elements = clientChooses(dims, ell) ? d2 * d3 : d1 * d2;
        expect(elements * ell).toBeLessThanOrEqual(vectorCotBatchSize(Math.max(d1, d3), ell));
        expect(bytes).toBe(matmulBytes(d1, d2, d3, ell));
      },
    );
  }

  it.each([
    [3000, 20, 1, 32],
    [2, 9, 1500, 37],
  ])(
    '%i × %i × %i, ℓ = %i: several OT batches and chunks; bytes = formula per batch',
    async (d1, d2, d3, ell) => {
      const w = randomValues(d1 * d2, ell);
      const x = randomValues(d2 * d3, ell);
      const [x0, x1] = share(x, ell);
      const { results, bytes } = await both((p, ctx) =>
        matmulServerWeights(
          ctx,
          { d1, d2, d3 },
          ell,
          p === SERVER ? x0 : x1,
          p === SERVER ? toLayout(w, ell) : undefined,
        ),
      );
      expect(reconstruct(results[0], results[1], ell)).toEqual(matmulOracle(w, x, d1, d2, d3, ell));
      // Per batch of `batch` OTs: 128·⌈count/8⌉ column bytes + ⌈k·Σ (ℓ − i) / 8⌉ reply bytes.
      const [ots, k] = d3 <= d1 ? [d2 * d3 * ell, d1] : [d1 * d2 * ell, d3];
      const batch = vectorCotBatchSize(k, ell);
      expect(ots).toBeGreaterThan(batch);
      let want = 0;
      for (let first = 0; first < ots; first += batch) {
        let bits = 0;
        for (let t = first; t < Math.min(ots, first + batch); t++) bits += ell - (t % ell);
        want += 128 * Math.ceil(Math.min(batch, ots - first) / 8) + Math.ceil((k * bits) / 8);
      }
      expect(bytes).toBe(want);
    },
  );

  it('ℓ = 11 and ℓ = 64 (narrow and full two-limb widths)', async () => {
    for (const ell of [11, 64]) {
      const [d1, d2, d3] = [4, 6, 3];
      const w = randomValues(d1 * d2, ell);
      const x = randomValues(d2 * d3, ell);
      const [x0, x1] = share(x, ell);
      const { results, bytes } = await both((p, ctx) =>
        matmulServerWeights(
          ctx,
          { d1, d2, d3 },
          ell,
          p === SERVER ? x0 : x1,
          p === SERVER ? toLayout(w, ell) : undefined,
        ),
      );
      expect(reconstruct(results[0], results[1], ell)).toEqual(matmulOracle(w, x, d1, d2, d3, ell));
      expect(bytes).toBe(matmulBytes(d1, d2, d3, ell));
    }
  });

  it('the local W·X0 kernel equals the oracle with wraparound (ℓ = 32, 37, 64)', () => {
    for (const ell of [32, 37, 64]) {
      const w = randomValues(5 * 7, ell);
      const x = randomValues(7 * 3, ell);
      const got = localMatmul(toLayout(w, ell), toLayout(x, ell), 5, 7, 3, ell);
      expect(fromLayout(got, ell)).toEqual(matmulOracle(w, x, 5, 7, 3, ell));
    }
  });

  it('orientation: fewer bytes (at full width fewer OTs: d3 ≤ d1, the client chooses)', () => {
    expect(clientChooses({ d1: 1001, d2: 512, d3: 1 }, 32)).toBe(true);
    expect(clientChooses({ d1: 64, d2: 27, d3: 12321 }, 32)).toBe(false);
    expect(clientChooses({ d1: 8, d2: 5, d3: 8 }, 32)).toBe(true);
    // 16-bit weights: 528 → 392 bits per product, so the weights choose at d3 = d1 too.
    expect(clientChooses({ d1: 8, d2: 5, d3: 8 }, 32, 16)).toBe(false);
    expect(clientChooses({ d1: 1001, d2: 512, d3: 1 }, 32, 16)).toBe(true);
  });

  for (const [ell, bits] of [
    [32, 2],
    [32, 16],
    [37, 18],
    [64, 30],
  ] as const) {
    it.each(SHAPES)(
      `weights of ${bits} signed bits, ℓ = ${ell}: %i × %i × %i equals W·X mod 2^ℓ; bytes = formula`,
      async (d1, d2, d3) => {
        const w = signedValues(d1 * d2, bits, ell);
        const x = randomValues(d2 * d3, ell);
        const [x0, x1] = share(x, ell);
        const { results, bytes } = await both((p, ctx) =>
          matmulServerWeights(
            ctx,
            { d1, d2, d3 },
            ell,
            p === SERVER ? x0 : x1,
            p === SERVER ? toLayout(w, ell) : undefined,
            { weightBits: bits },
          ),
        );
        expect(reconstruct(results[0], results[1], ell)).toEqual(
          matmulOracle(w, x, d1, d2, d3, ell),
        );
        expect(bytes).toBe(matmulBytes(d1, d2, d3, ell, bits));
      },
    );
  }

  it('a weight wider than weightBits, or weightBits outside 2..ℓ, is a typed error before any I/O', async () => {
    const { contexts } = await sharedSession();
    const before = await totalBytes();
    const dims = { d1: 2, d2: 2, d3: 4 };
    const x = new Uint32Array(8);
    const wide = toLayout([0n, 127n, -128n, 128n], 32); // 128 needs 9 signed bits
    await expect(
      matmulServerWeights(contexts[0], dims, 32, x, wide, { weightBits: 8 }),
    ).rejects.toThrow(/weight 3 = 128 does not fit 8 signed bits/);
    await expect(
      matmulServerWeights(contexts[0], dims, 32, x, wide, { weightBits: 33 }),
    ).rejects.toThrow(OtLinearError);
    await expect(
      matmulServerWeights(contexts[0], dims, 32, x, wide, { weightBits: 1 }),
    ).rejects.toThrow(/weight bits 1/);
    expect(await totalBytes()).toBe(before);
  });

  it('rejects mismatches with a typed error before any I/O', async () => {
    const { contexts } = await sharedSession();
    const before = await totalBytes();
    const dims = { d1: 2, d2: 3, d3: 4 };
    const ok = new Uint32Array(12);
    const w = new Uint32Array(6);
    const cases: [string, () => Promise<unknown>][] = [
      ['short x', () => matmulServerWeights(contexts[0], dims, 32, new Uint32Array(11), w)],
      ['short weights', () => matmulServerWeights(contexts[0], dims, 32, ok, new Uint32Array(5))],
      ['server without weights', () => matmulServerWeights(contexts[0], dims, 32, ok)],
      ['client with weights', () => matmulServerWeights(contexts[1], dims, 32, ok, w)],
      ['ℓ = 0', () => matmulServerWeights(contexts[0], dims, 0, ok, w)],
      [
        'ℓ = 37 needs two words',
        () => matmulServerWeights(contexts[0], dims, 37, ok, new Uint32Array(12)),
      ],
      [
        'non-canonical',
        () =>
          matmulServerWeights(
            contexts[0],
            dims,
            8,
            ok.map(() => 256),
            w,
          ),
      ],
      ['d2 = 0', () => matmulServerWeights(contexts[0], { ...dims, d2: 0 }, 32, ok, w)],
      [
        'fc shape',
        () =>
          fullyConnectedServerWeights(
            contexts[1],
            { batch: 2, inFeatures: 5, outFeatures: 3 },
            32,
            ok,
          ),
      ],
    ];
    for (const [name, f] of cases) {
      await expect(f(), name).rejects.toBeInstanceOf(OtLinearError);
    }
    expect(await totalBytes()).toBe(before);
  });
});

describe('fullyConnectedServerWeights', () => {
  it.each([
    [1, 10, 4, 32],
    [3, 7, 5, 37],
    [5, 4, 2, 32], // batch > out: the server's weights choose
  ])('batch %i, %i → %i, ℓ = %i: equals x·Wᵀ mod 2^ℓ', async (batch, inF, outF, ell) => {
    const w = randomValues(outF * inF, ell);
    const x = randomValues(batch * inF, ell);
    const [x0, x1] = share(x, ell);
    const layer = { batch, inFeatures: inF, outFeatures: outF };
    const { results, bytes } = await both((p, ctx) =>
      fullyConnectedServerWeights(
        ctx,
        layer,
        ell,
        p === SERVER ? x0 : x1,
        p === SERVER ? toLayout(w, ell) : undefined,
      ),
    );
    // x·Wᵀ [batch, out] = (W·xᵀ)ᵀ
    const xt: bigint[] = [];
    for (let i = 0; i < inF; i++) for (let b = 0; b < batch; b++) xt.push(x[b * inF + i]!);
    const y = matmulOracle(w, xt, outF, inF, batch, ell);
    const want: bigint[] = [];
    for (let b = 0; b < batch; b++) for (let o = 0; o < outF; o++) want.push(y[o * batch + b]!);
    expect(reconstruct(results[0], results[1], ell)).toEqual(want);
    expect(bytes).toBe(matmulBytes(outF, inF, batch, ell));
  });
});
