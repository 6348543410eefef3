/**
 * The protocols end to end on the real OT stack (base OT, IKNP, KK13 over an in-memory
 * channel): bit-for-bit results, and bytes on the wire equal to formulas written here.
 */
import { OtPack } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PartyContext, partyContext } from '../../src/context.js';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../../src/field.js';
import { CLIENT, type Party, SERVER } from '../../src/party.js';
import { argmax } from '../../src/protocols/argmax.js';
import { divRing } from '../../src/protocols/division.js';
import { divField } from '../../src/protocols/division-field.js';
import { dreluRing } from '../../src/protocols/drelu-ring.js';
import { signExtend } from '../../src/protocols/extension.js';
import { maxpool, type PoolShape, poolOutputSize } from '../../src/protocols/maxpool.js';
import { millionaire } from '../../src/protocols/millionaire.js';
import { reluField } from '../../src/protocols/relu-field.js';
import { reluRing } from '../../src/protocols/relu-ring.js';
import { trunc, truncReduce } from '../../src/protocols/truncation.js';
import { truncField, truncFieldNonNegative } from '../../src/protocols/truncation-field.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

/** Bytes of n KK13 1-out-of-2^logN OTs of `bits`-bit messages, both directions (one batch). */
const kkotBytes = (n: number, logN: number, bits: number) =>
  256 * Math.ceil(n / 8) + Math.ceil((n * 2 ** logN * bits) / 8);
/** Bytes of n IKNP correlated OTs of ℓ-bit messages, both directions (one batch). */
const cotBytes = (n: number, ell: number) => 128 * Math.ceil(n / 8) + Math.ceil((n * ell) / 8);
/** Bytes of n IKNP chosen-message OTs of ℓ-bit messages, both directions (one batch). */
const chosenBytes = (n: number, ell: number) =>
  128 * Math.ceil(n / 8) + 2 * Math.ceil((n * ell) / 8);
/** Bytes of the AND openings of a tree level with g gates, both directions. */
const andBytes = (g: number) => 2 * Math.ceil((2 * g) / 8);

/**
 * Bytes of the millionaires' protocol on n client values of ℓ bits, radix 16 (Algorithm 1),
 * with `group` server comparisons per client value sharing each leaf OT.
 */
function millionaireBytes(n: number, ell: number, group = 1, withEquality = false): number {
  const q = Math.ceil(ell / 4);
  const bitsPerComparison = q > 1 || withEquality ? 2 : 1;
  if (q === 1) return kkotBytes(n, ell, bitsPerComparison * group);
  const comparisons = group * n;
  // Tree nodes whose range starts at digit 0 need one AND (a single triple) unless equality is
  // wanted; every other node needs two ANDs with the same left input (one paired triple).
  let [singles, pairs] = [0, 0];
  let openings = 0;
  for (let step = 1; step < q; step *= 2) {
    let [levelSingles, levelPairs] = [0, 0];
    for (let lo = 0; lo + step < q; lo += 2 * step) {
      if (lo === 0 && !withEquality) levelSingles++;
      else levelPairs++;
    }
    singles += levelSingles;
    pairs += levelPairs;
    // Each party opens e, f per single and e, f1, f2 per pair.
    openings += 2 * Math.ceil(((2 * levelSingles + 3 * levelPairs) * comparisons) / 8);
  }
  const singleTriples = singles * comparisons;
  return (
    kkotBytes(q * n, 4, 2 * group) + // leaves
    (singleTriples > 0 ? kkotBytes(Math.ceil(singleTriples / 2), 4, 2) : 0) + // 2 triples per 1-of-16 OT
    (pairs > 0 ? kkotBytes(pairs * comparisons, 3, 2) : 0) + // 1 paired triple per 1-of-8 OT
    openings
  );
}

/** Bytes of faithful truncation by s of n ℓ-bit values (see truncation.ts). */
const truncBytes = (n: number, ell: number, s: number) =>
  millionaireBytes(n, s) + // the carry out of the low s bits
  millionaireBytes(n, ell - s, 1, true) + // the upper parts' wrap, with equality
  kkotBytes(Math.ceil(n / 2), 4, 2) + // one AND's triples
  andBytes(n) +
  cotBytes(n, ell) + // B2A of the carry
  cotBytes(n, s); // B2A of the wrap, mod 2^s

/** Bytes of TruncReduce by s: the low carry and its B2A at ℓ − s bits. */
const truncReduceBytes = (n: number, ell: number, s: number) =>
  millionaireBytes(n, s) + cotBytes(n, ell - s);

/** Bytes of truncation by s over Z_p of n elements (see truncation-field.ts). */
const truncFieldBytes = (n: number, pBits: number, s: number) =>
  millionaireBytes(n, pBits) + // the wrap of the offset shares
  millionaireBytes(n, s, 1, true) + // the low bits' comparison, with equality
  kkotBytes(n, 4, 2) + // two ANDs' triples
  andBytes(2 * n) +
  chosenBytes(2 * n, pBits) + // B2A mod p of the two terms of δ
  chosenBytes(n, pBits); // B2A mod p of the wrap, times P

/** Bytes of the non-negative variant: one AND for the wrap instead of the p-bit comparison. */
const truncFieldNonNegativeBytes = (n: number, pBits: number, s: number) =>
  kkotBytes(Math.ceil(n / 2), 4, 2) + // the wrap's AND: its triples
  andBytes(n) +
  truncFieldBytes(n, pBits, s) -
  millionaireBytes(n, pBits);

/**
 * Bytes of a tree of pairwise maxima over `windows` windows of `size` elements: one level per
 * round over all windows at once, each pair a DReLU (millionaires' on ℓ−1 bits) and a MUX.
 */
function maxTreeBytes(windows: number, size: number, ell: number): number {
  let bytes = 0;
  for (let columns = size; columns > 1; columns = Math.ceil(columns / 2)) {
    const pairs = windows * Math.floor(columns / 2);
    bytes += millionaireBytes(pairs, ell - 1) + 2 * cotBytes(pairs, ell);
  }
  return bytes;
}

/**
 * Bytes of maxpool: separable — 1 × k_w trees over the H' input rows some window touches, then
 * k_h × 1 trees over those row maxima — when that needs fewer comparisons than one k_h·k_w tree
 * per window, which it does for 3×3 stride 2.
 */
function maxpoolBytes(shape: PoolShape, ell: number): number {
  const [outH, outW] = poolOutputSize(shape);
  const [kh, kw] = shape.kernel;
  const touched = new Set<number>();
  for (let oy = 0; oy < outH; oy++) {
    for (let ky = 0; ky < kh; ky++) {
      const y = oy * shape.stride[0] - (shape.padding?.[0] ?? 0) + ky;
      if (y >= 0 && y < shape.height) touched.add(y);
    }
  }
  const rows = shape.channels * touched.size * outW;
  const windows = shape.channels * outH * outW;
  return rows * (kw - 1) + windows * (kh - 1) < windows * (kh * kw - 1)
    ? maxTreeBytes(rows, kw, ell) + maxTreeBytes(windows, kh, ell)
    : maxTreeBytes(windows, kh * kw, ell);
}

let channels: [Channel, Channel];
let contexts: [PartyContext, PartyContext];

beforeAll(async () => {
  channels = memoryPair();
  const packs = await Promise.all([
    OtPack.setup(SERVER, channels[0]),
    OtPack.setup(CLIENT, channels[1]),
  ]);
  contexts = [partyContext(packs[0]), partyContext(packs[1])];
});

/** The largest of some BigInts (Math.max does not take BigInt). */
// biome-ignore lint/complexity/useMathMinMax: Math.max does not take BigInt
const maximum = (values: bigint[]) => values.reduce((a, b) => (b > a ? b : a));

/** Reconstructs additive shares mod 2^ℓ. */
function sum([a, b]: [Uint32Array, Uint32Array], ell: number): bigint[] {
  const right = fromLayout(b, ell);
  return fromLayout(a, ell).map((v, i) => BigInt.asUintN(ell, v + right[i]!));
}

/** Runs f for both parties in a fresh phase and returns the results and both-way bytes. */
async function run<T>(label: string, f: (party: Party, ctx: PartyContext) => Promise<T>) {
  const results = await Promise.all(
    ([SERVER, CLIENT] as const).map((p) => channels[p].phase(label, () => f(p, contexts[p]))),
  );
  const phase = channels[0].phases().get(label)!;
  return { results: results as [T, T], bytes: phase.bytesSent + phase.bytesReceived };
}

describe('on the real OT stack', () => {
  it('millionaire: 1{x > y} bit for bit, and its bytes equal the formula (ℓ = 32, n = 1000)', async () => {
    const [ell, n] = [32, 1000];
    const x = randomValues(n, ell);
    const y = randomValues(n, ell);
    const { results, bytes } = await run('millionaire-32', (p, ctx) =>
      millionaire(ctx, toLayout(p === SERVER ? x : y, ell), ell),
    );
    expect([...results[0].map((v, i) => v ^ results[1][i]!)]).toEqual(
      x.map((v, i) => Number(v > y[i]!)),
    );
    expect(bytes).toBe(millionaireBytes(n, ell));
    expect(bytes / n).toBeLessThan(491.5); // the C++ reference's figure
  });

  it('millionaire at ℓ = 37 and at a single digit (ℓ = 3) match their formulas', async () => {
    for (const [ell, n] of [
      [37, 800],
      [3, 512],
    ] as const) {
      const x = randomValues(n, ell);
      const y = randomValues(n, ell);
      const { results, bytes } = await run(`millionaire-${ell}`, (p, ctx) =>
        millionaire(ctx, toLayout(p === SERVER ? x : y, ell), ell),
      );
      expect([...results[0].map((v, i) => v ^ results[1][i]!)]).toEqual(
        x.map((v, i) => Number(v > y[i]!)),
      );
      expect(bytes).toBe(millionaireBytes(n, ell));
    }
  });

  it('ReLU over Z_2^37: max(x, 0) bit for bit; bytes = DReLU (millionaire on 36 bits) + 2 COTs', async () => {
    const [ell, n] = [37, 1000];
    const x = randomValues(n, ell);
    const [x0, x1] = additiveShares(x, ell);
    const { results, bytes } = await run('relu-37', (p, ctx) =>
      reluRing(ctx, toLayout(p === SERVER ? x0 : x1, ell), ell),
    );
    const a = fromLayout(results[0], ell);
    const b = fromLayout(results[1], ell);
    expect(a.map((v, i) => BigInt.asUintN(ell, v + b[i]!))).toEqual(
      x.map((v) => (BigInt.asIntN(ell, v) >= 0n ? v : 0n)),
    );
    expect(bytes).toBe(millionaireBytes(n, ell - 1) + 2 * cotBytes(n, ell));
  });

  it('ReLU over Z_p (p = 4293918721): exact, bytes = grouped millionaire on 33 bits + 2 field COTs', async () => {
    const f = field(FIELD_PRIME_32);
    const n = 1000;
    const x = fieldRandom(f, n);
    const x0 = fieldRandom(f, n);
    const x1 = x.map((v, i) => (v - x0[i]! + f.n) % f.n);
    const { results, bytes } = await run('relu-field-32', (p, ctx) =>
      reluField(ctx, p === SERVER ? x0 : x1, f),
    );
    expect([...results[0].map((v, i) => (v + results[1][i]!) % f.n)]).toEqual(
      [...x].map((v) => (v <= (f.n - 1) / 2 ? v : 0)),
    );
    expect(bytes).toBe(millionaireBytes(n, 33, 2) + 2 * chosenBytes(n, 32));
    expect(bytes / n).toBeLessThan(884.5); // the C++ reference's figure
  });

  for (const [ell, s] of [
    [32, 12],
    [37, 13],
  ] as const) {
    it(`faithful truncation (ℓ = ${ell}, s = ${s}) is exact and its bytes equal the formula`, async () => {
      const n = 1000;
      const x = randomValues(n, ell);
      const [x0, x1] = additiveShares(x, ell);
      const { results, bytes } = await run(`trunc-${ell}`, (p, ctx) =>
        trunc(ctx, toLayout(p === SERVER ? x0 : x1, ell), ell, s),
      );
      expect(sum(results, ell)).toEqual(
        x.map((v) => BigInt.asUintN(ell, BigInt.asIntN(ell, v) >> BigInt(s))),
      );
      expect(bytes).toBe(truncBytes(n, ell, s));
    });

    it(`TruncReduce (ℓ = ${ell}, s = ${s}) is exact over Z_2^(ℓ−s) and its bytes equal the formula`, async () => {
      const n = 1000;
      const x = randomValues(n, ell);
      const [x0, x1] = additiveShares(x, ell);
      const { results, bytes } = await run(`trunc-reduce-${ell}`, (p, ctx) =>
        truncReduce(ctx, toLayout(p === SERVER ? x0 : x1, ell), ell, s),
      );
      expect(sum(results, ell - s)).toEqual(
        x.map((v) => BigInt.asUintN(ell - s, BigInt.asIntN(ell, v) >> BigInt(s))),
      );
      expect(bytes).toBe(truncReduceBytes(n, ell, s));
    });
  }

  for (const [p, s] of [
    [FIELD_PRIME_32, 12],
    [FIELD_PRIME_37, 15],
  ] as const) {
    it(`field truncation (p = ${p}, s = ${s}) is exact and its bytes equal the formula`, async () => {
      const n = 1000;
      const f = field(p);
      const x = fieldRandom(f, n);
      const x0 = fieldRandom(f, n);
      const x1 = x.map((v, i) => (v - x0[i]! + p) % p);
      const { results, bytes } = await run(`trunc-field-${p}`, (party, ctx) =>
        truncField(ctx, party === SERVER ? x0 : x1, f, s),
      );
      const signed = (v: number) => (v > (p - 1) / 2 ? v - p : v);
      expect([...results[0].map((v, i) => (v + results[1][i]!) % p)]).toEqual(
        [...x].map((v) => (Math.floor(signed(v) / 2 ** s) + p) % p),
      );
      expect(bytes).toBe(truncFieldBytes(n, f.bits, s));
    });

    it(`non-negative field truncation (p = ${p}, s = ${s}) is exact and its bytes equal the formula`, async () => {
      const n = 1000;
      const f = field(p);
      const x = fieldRandom(f, n).map((v) => Math.floor(v / 2));
      const x0 = fieldRandom(f, n);
      const x1 = x.map((v, i) => (v - x0[i]! + p) % p);
      const { results, bytes } = await run(`trunc-field-nonneg-${p}`, (party, ctx) =>
        truncFieldNonNegative(ctx, party === SERVER ? x0 : x1, f, s),
      );
      expect([...results[0].map((v, i) => (v + results[1][i]!) % p)]).toEqual(
        [...x].map((v) => Math.floor(v / 2 ** s)),
      );
      expect(bytes).toBe(truncFieldNonNegativeBytes(n, f.bits, s));
    });
  }

  it('maxpool, argmax, division and extension agree with cleartext on the real stack', async () => {
    const ell = 32;
    const shape: PoolShape = {
      channels: 2,
      height: 7,
      width: 7,
      kernel: [3, 3],
      stride: [2, 2],
      padding: [1, 1, 1, 1],
    };
    const x = randomValues(2 * 7 * 7, ell - 2).map((v) =>
      BigInt.asUintN(ell, BigInt.asIntN(ell - 2, v)),
    );
    const [x0, x1] = additiveShares(x, ell);
    const share = (p: Party) => toLayout(p === SERVER ? x0 : x1, ell);
    const signed = x.map((v) => BigInt.asIntN(ell, v));

    const pooled = await run('maxpool', (p, ctx) => maxpool(ctx, share(p), shape, ell));
    const expected: bigint[] = [];
    for (let c = 0; c < 2; c++) {
      for (let oy = 0; oy < 4; oy++) {
        for (let ox = 0; ox < 4; ox++) {
          const window: bigint[] = [];
          for (let ky = 0; ky < 3; ky++) {
            for (let kx = 0; kx < 3; kx++) {
              const [y, z] = [2 * oy - 1 + ky, 2 * ox - 1 + kx];
              if (y >= 0 && y < 7 && z >= 0 && z < 7) window.push(signed[(c * 7 + y) * 7 + z]!);
            }
          }
          expected.push(BigInt.asUintN(ell, maximum(window)));
        }
      }
    }
    expect(sum(pooled.results, ell)).toEqual(expected);
    expect(pooled.bytes).toBe(maxpoolBytes(shape, ell)); // separable: 2·7·4 rows, then 2·4·4

    const top = await run('argmax', (p, ctx) => argmax(ctx, share(p), ell));
    const index = Number(sum([top.results[0].index, top.results[1].index], ell)[0]);
    expect(index).toBe(signed.indexOf(maximum(signed)));

    const divided = await run('div', (p, ctx) => divRing(ctx, share(p), ell, 49));
    const floorDiv = (v: bigint) => v / 49n - (v % 49n !== 0n && v < 0n ? 1n : 0n);
    expect(sum(divided.results, ell)).toEqual(signed.map((v) => BigInt.asUintN(ell, floorDiv(v))));

    const f = field(FIELD_PRIME_32);
    const fx = fieldRandom(f, 40);
    const fx0 = fieldRandom(f, 40);
    const fx1 = fx.map((v, i) => (v - fx0[i]! + f.n) % f.n);
    const fieldDivided = await run('div-field', (p, ctx) =>
      divField(ctx, p === SERVER ? fx0 : fx1, f, 49),
    );
    const signedField = (v: number) => (v > (f.n - 1) / 2 ? v - f.n : v);
    expect([
      ...fieldDivided.results[0].map((v, i) => (v + fieldDivided.results[1][i]!) % f.n),
    ]).toEqual([...fx].map((v) => (Math.floor(signedField(v) / 49) + f.n) % f.n));

    const narrow = x.map((v) => BigInt.asUintN(20, v));
    const [n0, n1] = additiveShares(narrow, 20);
    const widened = await run('extend', (p, ctx) =>
      signExtend(ctx, toLayout(p === SERVER ? n0 : n1, 20), 20, ell),
    );
    expect(sum(widened.results, ell)).toEqual(
      narrow.map((v) => BigInt.asUintN(ell, BigInt.asIntN(20, v))),
    );
  });

  it('maxpool at ℓ = 37, direct (2×2/s2) and separable (3×3/s1): exact, bytes equal the formula', async () => {
    const ell = 37;
    const shapes: PoolShape[] = [
      { channels: 3, height: 6, width: 6, kernel: [2, 2], stride: [2, 2] },
      { channels: 2, height: 6, width: 5, kernel: [3, 3], stride: [1, 1] },
    ];
    for (const shape of shapes) {
      const { channels, height, width } = shape;
      const x = randomValues(channels * height * width, ell - 2).map((v) =>
        BigInt.asUintN(ell, BigInt.asIntN(ell - 2, v)),
      );
      const [x0, x1] = additiveShares(x, ell);
      const pooled = await run(`maxpool-${shape.kernel[0]}-${shape.stride[0]}`, (p, ctx) =>
        maxpool(ctx, toLayout(p === SERVER ? x0 : x1, ell), shape, ell),
      );
      const [outH, outW] = poolOutputSize(shape);
      const expected: bigint[] = [];
      for (let c = 0; c < channels; c++) {
        for (let oy = 0; oy < outH; oy++) {
          for (let ox = 0; ox < outW; ox++) {
            const window: bigint[] = [];
            for (let ky = 0; ky < shape.kernel[0]; ky++) {
              for (let kx = 0; kx < shape.kernel[1]; kx++) {
                const [y, z] = [oy * shape.stride[0] + ky, ox * shape.stride[1] + kx];
                window.push(BigInt.asIntN(ell, x[(c * height + y) * width + z]!));
              }
            }
            expected.push(BigInt.asUintN(ell, maximum(window)));
          }
        }
      }
      expect(sum(pooled.results, ell)).toEqual(expected);
      expect(pooled.bytes).toBe(maxpoolBytes(shape, ell));
    }
  });

  it('parties that disagree on the domain (Z_2^32 vs Z_p) fail with a typed error, not a hang', async () => {
    const [a, b] = memoryPair();
    const packs = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
    const f = field(FIELD_PRIME_32);
    const outcome = await Promise.allSettled([
      reluRing(partyContext(packs[0]), toLayout(randomValues(64, 32), 32), 32),
      reluField(partyContext(packs[1]), fieldRandom(f, 64), f),
    ]);
    expect(
      outcome.some(
        (o) => o.status === 'rejected' && (o.reason as Error).name === 'UnexpectedLengthError',
      ),
    ).toBe(true);
    expect(outcome.every((o) => o.status === 'rejected')).toBe(true);
  });

  it('parties that disagree on ℓ fail with a typed error, not a hang', async () => {
    const [a, b] = memoryPair();
    const packs = await Promise.all([OtPack.setup(SERVER, a), OtPack.setup(CLIENT, b)]);
    const x = toLayout(randomValues(64, 32), 32);
    const y = toLayout(randomValues(64, 37), 37);
    const outcome = await Promise.allSettled([
      dreluRing(partyContext(packs[0]), x, 32),
      dreluRing(partyContext(packs[1]), y, 37),
    ]);
    expect(
      outcome.some(
        (o) => o.status === 'rejected' && (o.reason as Error).name === 'UnexpectedLengthError',
      ),
    ).toBe(true);
    expect(outcome.every((o) => o.status === 'rejected')).toBe(true);
  });
});
