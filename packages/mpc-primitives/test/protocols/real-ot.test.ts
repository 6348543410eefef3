/**
 * The protocols end to end on the real OT stack over an in-memory channel, in both modes of
 * the OtPack — IKNP and KK13, and silent (Ferret COT, small parameter sets so rounds recur):
 * bit-for-bit results, and bytes on the wire equal to formulas written here.
 */
import { FerretSender, OtPack } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport';
import { beforeAll, describe, expect, it } from 'vitest';
import { type PartyContext, partyContext } from '../../src/context.js';
import { FIELD_PRIME_32, FIELD_PRIME_37, field, fieldRandom } from '../../src/field.js';
import { CLIENT, type Party, SERVER } from '../../src/party.js';
import { argmax } from '../../src/protocols/argmax.js';
import { generateBitTriples, generatePairedBitTriples } from '../../src/protocols/bit-triples.js';
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
import { FERRET, realStack } from './real-stack.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

/** The bytes of each kind of OT the protocols draw, both directions (one batch each). */
interface Costs {
  /** n 1-out-of-2^logN OTs of `bits`-bit messages. */
  oneOfN(n: number, logN: number, bits: number): number;
  /** n additively correlated OTs of ℓ bits. */
  cot(n: number, ell: number): number;
  /** n chosen-message OTs of ℓ-bit messages. */
  chosen(n: number, ell: number): number;
  /** `count` AND triples. */
  triples(count: number): number;
  /** `count` pairs of AND triples sharing a. */
  pairedTriples(count: number): number;
}

type Mode = 'iknp' | 'silent';

const COSTS: Record<Mode, Costs> = {
  // KK13: 256 bits of columns per OT, then N·ℓ bits; IKNP: 128 bits per OT, then ℓ (or 2ℓ).
  iknp: {
    oneOfN: (n, logN, bits) => 256 * Math.ceil(n / 8) + Math.ceil((n * 2 ** logN * bits) / 8),
    cot: (n, ell) => 128 * Math.ceil(n / 8) + Math.ceil((n * ell) / 8),
    chosen: (n, ell) => 128 * Math.ceil(n / 8) + 2 * Math.ceil((n * ell) / 8),
    // Two triples per 1-of-16 OT with 2-bit messages; one pair per 1-of-8.
    triples: (count) => (count > 0 ? COSTS.iknp.oneOfN(Math.ceil(count / 2), 4, 2) : 0),
    pairedTriples: (count) => (count > 0 ? COSTS.iknp.oneOfN(count, 3, 2) : 0),
  },
  // Cheetah's costs beyond the Ferret COTs (whose rounds `run` counts apart): log2 N bits up,
  // N·ℓ down; 1 + ℓ; 1 + 2ℓ; triples from random bit OTs with no message, and a pair from
  // one 2-bit random OT each way, no message either.
  silent: {
    oneOfN: (n, logN, bits) => Math.ceil((n * logN) / 8) + Math.ceil((n * 2 ** logN * bits) / 8),
    cot: (n, ell) => Math.ceil(n / 8) + Math.ceil((n * ell) / 8),
    chosen: (n, ell) => Math.ceil(n / 8) + 2 * Math.ceil((n * ell) / 8),
    triples: () => 0,
    pairedTriples: () => 0,
  },
};

/** Bytes of the AND openings of a tree level with g gates, both directions. */
const andBytes = (g: number) => 2 * Math.ceil((2 * g) / 8);

/**
 * Bytes of the millionaires' protocol on n client values of ℓ bits, radix 16 (Algorithm 1),
 * with `group` server comparisons per client value sharing each leaf OT.
 */
function millionaireBytes(
  c: Costs,
  n: number,
  ell: number,
  group = 1,
  withEquality = false,
): number {
  const q = Math.ceil(ell / 4);
  const bitsPerComparison = q > 1 || withEquality ? 2 : 1;
  if (q === 1) return c.oneOfN(n, ell, bitsPerComparison * group);
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
    c.oneOfN(q * n, 4, 2 * group) + // leaves
    c.triples(singleTriples) +
    c.pairedTriples(pairs * comparisons) +
    openings
  );
}

/** Bytes of faithful truncation by s of n ℓ-bit values (see truncation.ts). */
const truncBytes = (c: Costs, n: number, ell: number, s: number) =>
  millionaireBytes(c, n, s) + // the carry out of the low s bits
  millionaireBytes(c, n, ell - s, 1, true) + // the upper parts' wrap, with equality
  c.triples(n) + // one AND's triples
  andBytes(n) +
  c.cot(n, ell) + // B2A of the carry
  c.cot(n, s); // B2A of the wrap, mod 2^s

/** Bytes of TruncReduce by s: the low carry and its B2A at ℓ − s bits. */
const truncReduceBytes = (c: Costs, n: number, ell: number, s: number) =>
  millionaireBytes(c, n, s) + c.cot(n, ell - s);

/** Bytes of truncation by s over Z_p of n elements (see truncation-field.ts). */
const truncFieldBytes = (c: Costs, n: number, pBits: number, s: number) =>
  millionaireBytes(c, n, pBits) + // the wrap of the offset shares
  millionaireBytes(c, n, s, 1, true) + // the low bits' comparison, with equality
  c.triples(2 * n) + // two ANDs' triples
  andBytes(2 * n) +
  c.chosen(2 * n, pBits) + // B2A mod p of the two terms of δ
  c.chosen(n, pBits); // B2A mod p of the wrap, times P

/** Bytes of the non-negative variant: one AND for the wrap instead of the p-bit comparison. */
const truncFieldNonNegativeBytes = (c: Costs, n: number, pBits: number, s: number) =>
  c.triples(n) + // the wrap's AND: its triples
  andBytes(n) +
  truncFieldBytes(c, n, pBits, s) -
  millionaireBytes(c, n, pBits);

/**
 * Bytes of a tree of pairwise maxima over `windows` windows of `size` elements: one level per
 * round over all windows at once, each pair a DReLU (millionaires' on ℓ−1 bits) and a MUX.
 */
function maxTreeBytes(c: Costs, windows: number, size: number, ell: number): number {
  let bytes = 0;
  for (let columns = size; columns > 1; columns = Math.ceil(columns / 2)) {
    const pairs = windows * Math.floor(columns / 2);
    bytes += millionaireBytes(c, pairs, ell - 1) + 2 * c.cot(pairs, ell);
  }
  return bytes;
}

/**
 * Bytes of maxpool: separable — 1 × k_w trees over the H' input rows some window touches, then
 * k_h × 1 trees over those row maxima — when that needs fewer comparisons than one k_h·k_w tree
 * per window, which it does for 3×3 stride 2.
 */
function maxpoolBytes(c: Costs, shape: PoolShape, ell: number): number {
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
    ? maxTreeBytes(c, rows, kw, ell) + maxTreeBytes(c, windows, kh, ell)
    : maxTreeBytes(c, windows, kh * kw, ell);
}

/** Bytes of one Ferret main round: t·(32h + 16), all from its COT sender. */
const FERRET_ROUND_BYTES = FERRET.main.t * (32 * FERRET.main.h + 16);

let channels: [Channel, Channel];
let contexts: [PartyContext, PartyContext];
let packs: [OtPack, OtPack];

async function setUp(mode: Mode): Promise<void> {
  ({ channels, packs, contexts } = await realStack(mode));
}

/** Ferret main rounds run so far by both parties' COT senders (0 on IKNP). */
function ferretRounds(): number {
  return packs.reduce(
    (sum, p) => sum + (p.cotSender instanceof FerretSender ? p.cotSender.rounds : 0),
    0,
  );
}

/** The largest of some BigInts (Math.max does not take BigInt). */
// biome-ignore lint/complexity/useMathMinMax: Math.max does not take BigInt
const maximum = (values: bigint[]) => values.reduce((a, b) => (b > a ? b : a));

/** Reconstructs additive shares mod 2^ℓ. */
function sum([a, b]: [Uint32Array, Uint32Array], ell: number): bigint[] {
  const right = fromLayout(b, ell);
  return fromLayout(a, ell).map((v, i) => BigInt.asUintN(ell, v + right[i]!));
}

/**
 * Runs f for both parties in a fresh phase and returns the results and the both-way bytes
 * beyond the Ferret rounds it ran (each FERRET_ROUND_BYTES; none on IKNP).
 */
async function run<T>(label: string, f: (party: Party, ctx: PartyContext) => Promise<T>) {
  const rounds = ferretRounds();
  const results = await Promise.all(
    ([SERVER, CLIENT] as const).map((p) => channels[p].phase(label, () => f(p, contexts[p]))),
  );
  const phase = channels[0].phases().get(label)!;
  const ferret = (ferretRounds() - rounds) * FERRET_ROUND_BYTES;
  return { results: results as [T, T], bytes: phase.bytesSent + phase.bytesReceived - ferret };
}

for (const mode of ['iknp', 'silent'] as const) {
  describe(`on the real OT stack (${mode})`, () => {
    const c = COSTS[mode];
    beforeAll(() => setUp(mode));

    it('the protocols draw their OTs from this mode’s source', () => {
      expect(contexts.map((ctx) => ctx.ot.source)).toEqual([mode, mode]);
    });

    it('AND triples and paired triples: c = a ∧ b across the parties', async () => {
      const n = 3001;
      const single = await run('triples', (_, ctx) => generateBitTriples(ctx, n));
      const paired = await run('paired-triples', (_, ctx) => generatePairedBitTriples(ctx, n));
      const [s0, s1] = single.results;
      const [p0, p1] = paired.results;
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const and = (x: Uint8Array, y: Uint8Array, u: Uint8Array, v: Uint8Array) =>
          (x[i]! ^ y[i]!) & (u[i]! ^ v[i]!);
        if ((s0.c[i]! ^ s1.c[i]!) !== and(s0.a, s1.a, s0.b, s1.b)) bad++;
        if ((p0.c[i]! ^ p1.c[i]!) !== and(p0.a, p1.a, p0.b, p1.b)) bad++;
        if ((p0.c2[i]! ^ p1.c2[i]!) !== and(p0.a, p1.a, p0.b2, p1.b2)) bad++;
      }
      expect(bad).toBe(0);
      // A pair's b and b2 are two independent uniform bits (not one bit used twice): each
      // count is Binomial(n, 1/2), within six standard deviations.
      const bound = 6 * (Math.sqrt(n) / 2);
      for (const bits of [p0.a, p0.b, p1.b2, p0.b.map((v, i) => v ^ p0.b2[i]!)]) {
        const ones = bits.reduce((acc, v) => acc + v, 0);
        expect(Math.abs(ones - n / 2)).toBeLessThan(bound);
      }
      expect(single.bytes).toBe(c.triples(n));
      expect(paired.bytes).toBe(c.pairedTriples(n));
    });

    it.runIf(mode === 'silent')(
      'silent millionaire (ℓ = 32) and ReLU over Z_2^32: Cheetah’s bytes, written out',
      async () => {
        const n = 1000;
        // 8 digits: leaves are 1-of-16 OTs of 2-bit messages, 16·2 + 4 bits each; the tree has
        // 3 single and 4 paired AND nodes (their triples need no message) and opens
        // 2·(11, 5, 2) bits per level.
        const leaves = (8 * n * (16 * 2 + 4)) / 8;
        const openings =
          2 * (Math.ceil((11 * n) / 8) + Math.ceil((5 * n) / 8) + Math.ceil((2 * n) / 8));
        const millionaireOf = leaves + openings;
        expect(millionaireOf).toBe(40_500);
        const x = randomValues(n, 32);
        const y = randomValues(n, 32);
        const cmp = await run('silent-millionaire-32', (p, ctx) =>
          millionaire(ctx, toLayout(p === SERVER ? x : y, 32), 32),
        );
        expect([...cmp.results[0].map((v, i) => v ^ cmp.results[1][i]!)]).toEqual(
          x.map((v, i) => Number(v > y[i]!)),
        );
        expect(cmp.bytes).toBe(millionaireOf);
        // ReLU: DReLU is the millionaire on the low 31 bits (8 digits again), then two
        // correlated OTs of 32 bits: 1 + 32 bits each.
        const [x0, x1] = additiveShares(x, 32);
        const relu = await run('silent-relu-32', (p, ctx) =>
          reluRing(ctx, toLayout(p === SERVER ? x0 : x1, 32), 32),
        );
        expect(sum(relu.results, 32)).toEqual(x.map((v) => (BigInt.asIntN(32, v) >= 0n ? v : 0n)));
        expect(relu.bytes).toBe(millionaireOf + 2 * (Math.ceil(n / 8) + (32 * n) / 8));
      },
    );

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
      expect(bytes).toBe(millionaireBytes(c, n, ell));
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
        expect(bytes).toBe(millionaireBytes(c, n, ell));
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
      expect(bytes).toBe(millionaireBytes(c, n, ell - 1) + 2 * c.cot(n, ell));
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
      expect(bytes).toBe(millionaireBytes(c, n, 33, 2) + 2 * c.chosen(n, 32));
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
        expect(bytes).toBe(truncBytes(c, n, ell, s));
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
        expect(bytes).toBe(truncReduceBytes(c, n, ell, s));
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
        expect(bytes).toBe(truncFieldBytes(c, n, f.bits, s));
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
        expect(bytes).toBe(truncFieldNonNegativeBytes(c, n, f.bits, s));
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
      expect(pooled.bytes).toBe(maxpoolBytes(c, shape, ell)); // separable: 2·7·4 rows, then 2·4·4

      const top = await run('argmax', (p, ctx) => argmax(ctx, share(p), ell));
      const index = Number(sum([top.results[0].index, top.results[1].index], ell)[0]);
      expect(index).toBe(signed.indexOf(maximum(signed)));

      const divided = await run('div', (p, ctx) => divRing(ctx, share(p), ell, 49));
      const floorDiv = (v: bigint) => v / 49n - (v % 49n !== 0n && v < 0n ? 1n : 0n);
      expect(sum(divided.results, ell)).toEqual(
        signed.map((v) => BigInt.asUintN(ell, floorDiv(v))),
      );

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
        expect(pooled.bytes).toBe(maxpoolBytes(c, shape, ell));
      }
    });
  });
}

describe('parties that disagree', () => {
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
