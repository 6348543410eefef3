/**
 * Secret sharing in the clear: additive shares over Z_2^ℓ and Z_n, XOR shares of bits.
 * share() splits a value into two uniformly random-looking shares (one uniform, the other the
 * difference), reconstruct() adds them back. Used by tests, by the dealer-free setup of inputs,
 * and (with a channel) by revealOutput to open a result to one party.
 */
import type { PartyContext } from './context.js';
import { ParameterError } from './errors.js';
import { type Field, fieldAdd, fieldRandom, fieldSub } from './field.js';
import {
  fieldPack,
  fieldPackedBytes,
  fieldUnpack,
  packBits,
  packedBytes,
  ringPack,
  ringUnpack,
  unpackBits,
} from './pack.js';
import type { Party } from './party.js';
import { randomBits, ringRandom } from './random.js';
import { checkRingVector, type Ring, ringAdd, ringSub } from './ring.js';

/** Two additive shares of x over Z_2^ℓ: [x − r, r] with r uniform. */
export function ringShare(r: Ring, x: Uint32Array): [Uint32Array, Uint32Array] {
  checkRingVector(r, x);
  const mask = ringRandom(r, x.length / r.words);
  return [ringSub(r, x, mask), mask];
}

/** x0 + x1 mod 2^ℓ. */
export function ringReconstruct(r: Ring, x0: Uint32Array, x1: Uint32Array): Uint32Array {
  return ringAdd(r, x0, x1);
}

/** Two additive shares of x over Z_n: [x − r, r] with r uniform in Z_n. */
export function fieldShare(f: Field, x: Float64Array): [Float64Array, Float64Array] {
  if (!(x instanceof Float64Array)) throw new ParameterError('operand must be a Float64Array');
  const mask = fieldRandom(f, x.length);
  return [fieldSub(f, x, mask), mask];
}

/** x0 + x1 mod n. */
export function fieldReconstruct(f: Field, x0: Float64Array, x1: Float64Array): Float64Array {
  return fieldAdd(f, x0, x1);
}

/** Two XOR shares of a bit vector (one 0/1 per byte): [b ⊕ r, r] with r uniform. */
export function boolShare(bits: Uint8Array): [Uint8Array, Uint8Array] {
  if (!(bits instanceof Uint8Array)) throw new ParameterError('bits must be a Uint8Array of 0/1');
  const mask = randomBits(bits.length);
  const masked = new Uint8Array(bits.length);
  for (let i = 0; i < bits.length; i++) masked[i] = (bits[i]! ^ mask[i]!) & 1;
  return [masked, mask];
}

/** b0 ⊕ b1, elementwise. */
export function boolReconstruct(b0: Uint8Array, b1: Uint8Array): Uint8Array {
  if (b0.length !== b1.length)
    throw new ParameterError(`share lengths differ: ${b0.length} vs ${b1.length}`);
  const out = new Uint8Array(b0.length);
  for (let i = 0; i < b0.length; i++) out[i] = (b0[i]! ^ b1[i]!) & 1;
  return out;
}

/**
 * Opens an additive Z_2^ℓ sharing to the party `to`: the other party sends its share, packed
 * at ℓ bits per element (one message, ⌈nℓ/8⌉ bytes); `to` gets the value, the other null.
 */
export async function ringRevealTo(
  ctx: PartyContext,
  r: Ring,
  share: Uint32Array,
  to: Party,
): Promise<Uint32Array | null> {
  const { party, channel } = ctx;
  checkRingVector(r, share);
  const n = share.length / r.words;
  if (party !== to) {
    await channel.send(ringPack(r, share));
    return null;
  }
  const other = ringUnpack(r, await channel.recv(packedBytes(n, r.ell)), n);
  return ringAdd(r, share, other);
}

/** Opens an additive Z_n sharing to the party `to` (one message, ⌈n·bits(n)/8⌉ bytes). */
export async function fieldRevealTo(
  ctx: PartyContext,
  f: Field,
  share: Float64Array,
  to: Party,
): Promise<Float64Array | null> {
  const { party, channel } = ctx;
  if (party !== to) {
    await channel.send(fieldPack(f, share));
    return null;
  }
  const n = share.length;
  return fieldAdd(f, share, fieldUnpack(f, await channel.recv(fieldPackedBytes(f, n)), n));
}

/** Opens an XOR sharing of bits to the party `to` (one message, ⌈n/8⌉ bytes). */
export async function boolRevealTo(
  ctx: PartyContext,
  share: Uint8Array,
  to: Party,
): Promise<Uint8Array | null> {
  const { party, channel } = ctx;
  if (party !== to) {
    await channel.send(packBits(share));
    return null;
  }
  const n = share.length;
  return boolReconstruct(share, unpackBits(await channel.recv(Math.ceil(n / 8)), n));
}
