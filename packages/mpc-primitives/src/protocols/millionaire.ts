/**
 * The millionaires' protocol of CrypTFlow2 (Algorithm 1, Π_MILL^ℓ): XOR shares of 1{x > y}, where the
 * server holds the unsigned ℓ-bit x and the client the unsigned ℓ-bit y.
 *
 * Both split their value into q = ⌈ℓ/β⌉ radix-2^β digits (β = 4 by default). For every digit
 * i the server offers, in a 1-out-of-2^β OT that the client indexes with its digit y_i, the
 * two bits (x_i > k) ⊕ gt0_i and (x_i = k) ⊕ eq0_i for every k: the client gets its shares
 * of gt_i = 1{x_i > y_i} and eq_i = 1{x_i = y_i}. A log-depth tree then combines digits from
 * least to most significant:
 *   gt_{lo..hi} = gt_hi ⊕ (eq_hi ∧ gt_lo),   eq_{lo..hi} = eq_hi ∧ eq_lo,
 * (the XOR is exact because the two terms exclude each other), one AND round per level.
 * Like the C++ reference (its WAN_EXEC build) all q digits go through one batch of
 * 1-out-of-16 OTs with 2-bit messages, and all AND triples are generated up front.
 */
import type { PartyContext } from '../context.js';
import { ParameterError } from '../errors.js';
import { SERVER } from '../party.js';
import { randomBits } from '../random.js';
import { ring, ringLength } from '../ring.js';
import { andBatch } from './and.js';
import { generateBitTriples, generatePairedBitTriples } from './bit-triples.js';
import { writeLeafRow } from './message-rows.js';

/** The default radix exponent β (digits of 4 bits, 1-out-of-16 OTs). */
export const MILLIONAIRE_RADIX = 4;

/** The AND gates of the combination tree, level by level: [lo, hi] digit index pairs. */
export function combinationTree(digits: number): [number, number][][] {
  const levels: [number, number][][] = [];
  for (let step = 1; step < digits; step *= 2) {
    const pairs: [number, number][] = [];
    for (let lo = 0; lo + step < digits; lo += 2 * step) pairs.push([lo, lo + step]);
    levels.push(pairs);
  }
  return levels;
}

/**
 * AND gates per comparison: each tree node needs eq_hi ∧ gt_lo, and eq_hi ∧ eq_lo unless its
 * range starts at digit 0 (the equality of a range that includes the least significant
 * digit feeds no other node) — or unless the caller wants the overall equality too.
 */
export function millionaireAndCount(
  ell: number,
  radix = MILLIONAIRE_RADIX,
  withEquality = false,
): number {
  const digits = Math.ceil(ell / radix);
  if (digits <= 1) return 0;
  return combinationTree(digits)
    .flat()
    .reduce((sum, [lo]) => sum + (lo === 0 && !withEquality ? 1 : 2), 0);
}

/** Digit `digit` (width `radix`, least significant first) of every element. Pure. */
export function extractDigits(
  values: Uint32Array,
  ell: number,
  radix: number,
  digit: number,
): Uint8Array {
  const words = ring(ell).words;
  const n = values.length / words;
  const low = digit * radix;
  const width = Math.min(radix, ell - low);
  const mask = (1 << width) - 1;
  const word = low >>> 5;
  const shift = low & 31;
  const spills = shift + width > 32;
  const out = new Uint8Array(n);
  for (let j = 0; j < n; j++) {
    let bits = values[j * words + word]! >>> shift;
    if (spills) bits |= values[j * words + word + 1]! << (32 - shift);
    out[j] = bits & mask;
  }
  return out;
}

/**
 * The server's 2^β OT messages for one digit of every element: (x > k) ⊕ gt0 in bit 1 and
 * (x = k) ⊕ eq0 in bit 0, or only the comparison bit when `eq0` is null. Pure.
 */
export function leafMessages(
  digits: Uint8Array,
  gt0: Uint8Array,
  eq0: Uint8Array | null,
  radix: number,
): Uint8Array {
  const choices = 1 << radix;
  const messages = new Uint8Array(digits.length * choices);
  if (radix === 4 && eq0) {
    // The common case, radix 16 with equality: four messages per word, in constant time.
    const words = new Uint32Array(messages.buffer);
    for (let j = 0; j < digits.length; j++) writeLeafRow(words, j, digits[j]!, gt0[j]!, eq0[j]!);
    return messages;
  }
  for (let j = 0; j < digits.length; j++) {
    const x = digits[j]!;
    const base = j * choices;
    for (let k = 0; k < choices; k++) {
      const greater = Number(x > k) ^ gt0[j]!;
      messages[base + k] = eq0 ? (greater << 1) | (Number(x === k) ^ eq0[j]!) : greater;
    }
  }
  return messages;
}

/**
 * XOR shares (one 0/1 per byte) of 1{x > y} for n comparisons at once, x from the server, y
 * from the client; `values` holds this party's n unsigned ℓ-bit inputs in the project's
 * Z_2^ℓ layout (1 word per element for ℓ ≤ 32, else 2: low word first).
 */
export async function millionaire(
  ctx: PartyContext,
  values: Uint32Array,
  ell: number,
  radix = MILLIONAIRE_RADIX,
): Promise<Uint8Array> {
  return (await compare(ctx, values, ell, radix, false)).greater;
}

/**
 * `group` comparisons per client value at once: the server holds group·n values x_{c·n+j}
 * and the client n values y_j; returns shares of 1{x_{c·n+j} > y_j} in the server's order.
 * The comparisons share their leaf OTs (one OT with group·2-bit messages per client digit),
 * as when both comparisons of a field DReLU have the same client input.
 */
export async function millionaireGrouped(
  ctx: PartyContext,
  values: Uint32Array,
  ell: number,
  group: number,
  radix = MILLIONAIRE_RADIX,
): Promise<Uint8Array> {
  return (await compare(ctx, values, ell, radix, false, group)).greater;
}

/** Like `millionaire`, and also XOR shares of 1{x = y} (a few more ANDs, no more rounds). */
export function millionaireWithEquality(
  ctx: PartyContext,
  values: Uint32Array,
  ell: number,
  radix = MILLIONAIRE_RADIX,
): Promise<{ greater: Uint8Array; equal: Uint8Array }> {
  return compare(ctx, values, ell, radix, true);
}

async function compare(
  ctx: PartyContext,
  values: Uint32Array,
  ell: number,
  radix: number,
  wantEqual: boolean,
  group = 1,
): Promise<{ greater: Uint8Array; equal: Uint8Array }> {
  const { party, ot } = ctx;
  const r = ring(ell);
  if (!Number.isInteger(radix) || radix < 1 || radix > 8)
    throw new ParameterError(`radix must be 1..8, got ${radix}`);
  const q = Math.ceil(ell / radix);
  const withEquality = q > 1 || wantEqual;
  const bitsPerComparison = withEquality ? 2 : 1;
  if (!Number.isInteger(group) || group < 1 || group * bitsPerComparison > 8)
    throw new ParameterError(`a leaf OT carries at most 8 bits: group ${group} is too large`);
  const count = ringLength(r, values);
  if (party === SERVER && count % group !== 0)
    throw new ParameterError(`the server's ${count} values are not ${group} per client value`);
  // One leaf OT per client value and digit; the server may compare `group` values with each.
  const n = party === SERVER ? count / group : count;
  const total = group * n;
  const digitRadix = Math.min(radix, ell); // ℓ < β: a single digit of ℓ bits
  const digits = new Uint8Array(q * count);
  for (let i = 0; i < q; i++) digits.set(extractDigits(values, ell, digitRadix, i), i * count);

  // Leaves: one batch of 1-out-of-2^β OTs whose messages hold, per grouped comparison, the
  // comparison and equality bits (or only the comparison bit when there is a single digit,
  // no tree and no equality wanted). Shares are laid out [digit][comparison c·n + j].
  const bits = group * bitsPerComparison;
  let gt: Uint8Array;
  let eq: Uint8Array;
  if (party === SERVER) {
    gt = randomBits(q * total);
    eq = randomBits(q * total);
    const choices = 1 << digitRadix;
    const messages = new Uint8Array(q * n * choices);
    for (let i = 0; i < q; i++) {
      const out = messages.subarray(i * n * choices, (i + 1) * n * choices);
      for (let c = 0; c < group; c++) {
        const at = i * total + c * n;
        const slice = (v: Uint8Array) => v.subarray(at, at + n);
        const leaves = leafMessages(
          slice(digits),
          slice(gt),
          withEquality ? slice(eq) : null,
          digitRadix,
        );
        if (group === 1) out.set(leaves);
        else
          for (let t = 0; t < leaves.length; t++) out[t]! |= leaves[t]! << (bitsPerComparison * c);
      }
    }
    await ot.sendOneOfN(messages, digitRadix, bits);
  } else {
    const received = await ot.receiveOneOfN(digits, digitRadix, bits);
    gt = new Uint8Array(q * total);
    eq = new Uint8Array(q * total);
    for (let i = 0; i < q; i++) {
      for (let c = 0; c < group; c++) {
        const shift = bitsPerComparison * c;
        const at = i * total + c * n;
        for (let j = 0; j < n; j++) {
          const m = received[i * n + j]! >>> shift;
          gt[at + j] = withEquality ? (m >>> 1) & 1 : m & 1;
          eq[at + j] = m & 1;
        }
      }
    }
  }
  if (!withEquality) return { greater: gt, equal: new Uint8Array(0) };
  if (q === 1) return { greater: gt, equal: eq };

  // Combination tree. A node whose range starts at digit 0 needs only eq_hi ∧ gt_lo (unless
  // equality is wanted); every other node also needs eq_hi ∧ eq_lo, with the same left input,
  // so it takes a paired triple. All triples first (two OT batches), then one AND round per level.
  const tree = combinationTree(q);
  const needsPair = ([lo]: [number, number]) => lo !== 0 || wantEqual;
  const pairNodes = tree.flat().filter(needsPair).length;
  const singles = await generateBitTriples(ctx, (tree.flat().length - pairNodes) * total);
  const pairs = await generatePairedBitTriples(ctx, pairNodes * total);
  let [usedSingles, usedPairs] = [0, 0];
  const digit = (v: Uint8Array, i: number) => v.subarray(i * total, (i + 1) * total);
  const gather = (nodes: [number, number][], pick: (node: [number, number]) => Uint8Array) => {
    const out = new Uint8Array(nodes.length * total);
    for (const [k, node] of nodes.entries()) out.set(pick(node), k * total);
    return out;
  };
  for (const level of tree) {
    const alone = level.filter((node) => !needsPair(node));
    const paired = level.filter(needsPair);
    const products = await andBatch(
      ctx,
      {
        x: gather(alone, ([, hi]) => digit(eq, hi)),
        y: gather(alone, ([lo]) => digit(gt, lo)),
        triples: singles,
        offset: usedSingles,
      },
      {
        x: gather(paired, ([, hi]) => digit(eq, hi)),
        y1: gather(paired, ([lo]) => digit(gt, lo)),
        y2: gather(paired, ([lo]) => digit(eq, lo)),
        triples: pairs,
        offset: usedPairs,
      },
    );
    usedSingles += alone.length * total;
    usedPairs += paired.length * total;
    // gt_lo ← gt_hi ⊕ (eq_hi ∧ gt_lo); eq_lo ← eq_hi ∧ eq_lo.
    const update = (
      nodes: [number, number][],
      gtProducts: Uint8Array,
      eqProducts: Uint8Array | null,
    ) => {
      nodes.forEach(([lo, hi], k) => {
        const gtLo = digit(gt, lo);
        const gtHi = digit(gt, hi);
        for (let j = 0; j < total; j++) gtLo[j] = gtHi[j]! ^ gtProducts[k * total + j]!;
        if (eqProducts) digit(eq, lo).set(eqProducts.subarray(k * total, (k + 1) * total));
      });
    };
    update(alone, products.single, null);
    update(paired, products.first, products.second);
  }
  return { greater: gt.slice(0, total), equal: eq.slice(0, total) };
}
