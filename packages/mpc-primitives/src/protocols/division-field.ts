/**
 * Division by a public positive integer d over a prime field Z_p (the HE backend's average
 * pools): additive shares mod p of ⌊x / d⌋ for x in the signed view of Z_p (x > (p−1)/2 is
 * negative), exact for every x — the ring algorithm of division.ts with 2^ℓ replaced by p:
 *
 *   u = x0 + x1 − w·p (w = 1{x0 + x1 ≥ p}),  x_i = q_i·d + r_i,  p = q_p·d + r_p,
 *   ⌊u/d⌋ = q0 + q1 − w·q_p + δ,  δ = A + w·(B + C′ − 1 − A),
 *   ⌊x/d⌋ = ⌊u/d⌋ − m·(q_p + 1{u mod d < r_p}),  m = 1{u > (p−1)/2},
 *
 * with A, B, C′ the same three comparisons of remainders. Reduction mod 2^k is no longer free
 * on shares mod p, so the sign of u mod d − r_p is taken from small-ring copies of w and δ
 * (B2A and MUX on k = bitlen(d) + 1 bits), and the field terms from field B2A and MUX.
 */
import type { Channel } from '@secinfer/transport';
import { ParameterError } from '../errors.js';
import { type Field, fieldAdd, fieldSub } from '../field.js';
import { type Party, SERVER } from '../party.js';
import { ring, ringAdd, ringMulPublic, ringSub } from '../ring.js';
import { andShares } from './and.js';
import { b2a } from './b2a.js';
import { b2aField } from './b2a-field.js';
import { generateBitTriples } from './bit-triples.js';
import { MAX_DIVISOR } from './division.js';
import { dreluField } from './drelu-field.js';
import { dreluRing } from './drelu-ring.js';
import { millionaire } from './millionaire.js';
import { mux } from './mux.js';
import { muxField } from './mux-field.js';
import type { OtPort } from './ot-port.js';
import { ringConstant } from './ring-extras.js';

function bitLength(v: number): number {
  return Math.ceil(Math.log2(v + 1));
}

/** Additive shares mod p of ⌊x / d⌋ (floor, signed view of Z_p), x additively shared mod p. */
export async function divField(
  party: Party,
  channel: Channel,
  ot: OtPort,
  shares: Float64Array,
  f: Field,
  d: number,
): Promise<Float64Array> {
  if (!Number.isInteger(d) || d < 1 || d > MAX_DIVISOR)
    throw new ParameterError(`divisor must be an integer in 1..${MAX_DIVISOR}, got ${d}`);
  const p = f.n;
  const n = shares.length;
  if (d === 1) return shares.slice();
  const server = party === SERVER;
  const qP = Math.floor(p / d);
  const rP = p % d;

  // Sign (from the field DReLU) and wrap of the shares: x0 > p − 1 − x1.
  const msb = (await dreluField(party, channel, ot, shares, p)).map((v) => v ^ (server ? 1 : 0));
  const pBits = bitLength(p - 1);
  const wrapInputs = new Uint32Array(n * ring(pBits).words);
  const words = ring(pBits).words;
  for (let j = 0; j < n; j++) {
    const v = server ? shares[j]! : p - 1 - shares[j]!;
    wrapInputs[j * words] = v >>> 0;
    if (words === 2) wrapInputs[j * 2 + 1] = Math.floor(v / 2 ** 32);
  }
  const wrap = await millionaire(party, channel, ot, wrapInputs, pBits);

  // A, B, C′ in one batch (client thresholds offset to stay ≥ 0).
  const remainder = shares.map((v) => v % d);
  const quotient = shares.map((v) => Math.floor(v / d));
  const inputs = new Uint32Array(3 * n);
  for (let j = 0; j < n; j++) {
    const r = remainder[j]!;
    inputs[j] = server ? r : d - 1 - r;
    inputs[n + j] = server ? r : d + rP - 1 - r;
    inputs[2 * n + j] = server ? r + d : rP - 1 - r + d;
  }
  const greater = await millionaire(party, channel, ot, inputs, bitLength(3 * d));

  // δ in the field, and again on k bits for the remainder's sign.
  const abc = await b2aField(party, ot, greater, f);
  const [a, b, c] = [0, 1, 2].map((k) => abc.subarray(k * n, (k + 1) * n)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  let t = fieldSub(f, fieldAdd(f, b, c), a);
  if (server) t = fieldSub(f, t, new Float64Array(n).fill(1));
  const delta = fieldAdd(f, a, await muxField(party, ot, wrap, t, f));
  const unsignedQuotient = fieldSub(
    f,
    fieldAdd(f, quotient, delta),
    await b2aField(party, ot, wrap, f, qP),
  );

  const k = bitLength(d) + 1;
  const rk = ring(k);
  const abcK = await b2a(party, ot, greater, k);
  const [ak, bk, ck] = [0, 1, 2].map((i) => abcK.subarray(i * n, (i + 1) * n));
  let tk = ringSub(rk, ringAdd(rk, bk!, ck!), ak!);
  if (server) tk = ringSub(rk, tk, ringConstant(rk, 1, n));
  const deltaK = ringAdd(rk, ak!, await mux(party, ot, wrap, tk, k));
  const wrapK = await b2a(party, ot, wrap, k);
  let z = ringSub(
    rk,
    ringSub(rk, Uint32Array.from(remainder), ringMulPublic(rk, wrapK, rP)),
    ringMulPublic(rk, deltaK, d),
  );
  if (server) z = ringSub(rk, z, ringConstant(rk, rP, n));
  const below = (await dreluRing(party, channel, ot, z, k)).map((v) => v ^ (server ? 1 : 0));

  const triples = await generateBitTriples(party, ot, n);
  const msbAndBelow = await andShares(party, channel, msb, below, triples);
  const correction = fieldAdd(
    f,
    await b2aField(party, ot, msb, f, qP),
    await b2aField(party, ot, msbAndBelow, f),
  );
  return fieldSub(f, unsignedQuotient, correction);
}
