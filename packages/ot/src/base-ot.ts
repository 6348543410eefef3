/**
 * Base OT: Chou–Orlandi "simplest OT" over ristretto255 (a prime-order group, so no cofactor
 * checks), batched into one message each way for all OTs.
 *
 *   sender:   a ← Z_q,   A = aG                                   → A
 *   receiver: b_i ← Z_q, B_i = b_i·G + c_i·A                      → B_1..B_k
 *   sender:   k_i^0 = H(i, A, B_i, a·B_i),  k_i^1 = H(i, A, B_i, a·B_i − a·A)
 *   receiver: k_i^{c_i} = H(i, A, B_i, b_i·A)
 *
 * Keys are 16-byte seeds (SHA-256 truncated), used as AES-CTR PRG seeds by the extensions.
 * Semi-honest security suffices here; BigInt scalars are fine for 128–256 OTs. The receiver
 * computes and encodes both b_i·G and b_i·G + A and keeps one by a mask over their bytes, so
 * its time does not depend on c_i (a branch would reveal the Hamming weight of the choices,
 * which in IKNP are the sender's secret s). The group arithmetic itself is noble's BigInt,
 * not constant time; this removes the one branch on a secret that is ours.
 */
import { RistrettoPoint } from '@noble/curves/ed25519';
import { sha256 } from '@noble/hashes/sha2';
import type { Channel } from '@secinfer/transport/core';
import { requireChoices, requireCount } from './errors.js';

type Point = InstanceType<typeof RistrettoPoint>;
const POINT_BYTES = 32;
const DOMAIN = new TextEncoder().encode('secinfer/ot/base-ot/chou-orlandi/v1');

/** The sender's two 16-byte keys per OT, concatenated: key i is bytes [16i, 16i + 16). */
export interface BaseOtSenderKeys {
  keys0: Uint8Array;
  keys1: Uint8Array;
}

function randomScalar(): bigint {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(64));
  let x = 0n;
  for (const b of bytes) x = (x << 8n) | BigInt(b);
  const s = RistrettoPoint.Fn.create(x);
  return s === 0n ? 1n : s;
}

function deriveKey(i: number, a: Uint8Array, b: Uint8Array, p: Point): Uint8Array {
  const index = new Uint8Array(4);
  new DataView(index.buffer).setUint32(0, i, true);
  const h = sha256.create().update(DOMAIN).update(index).update(a).update(b);
  return h.update(p.toBytes()).digest().subarray(0, 16);
}

/** Writes `choice` ? `one` : `zero` into `out` with no branch on `choice` (0 or 1). */
function selectByMask(out: Uint8Array, zero: Uint8Array, one: Uint8Array, choice: number): void {
  const mask = -(choice & 1) & 0xff;
  for (let j = 0; j < POINT_BYTES; j++) out[j] = zero[j]! ^ (mask & (zero[j]! ^ one[j]!));
}

/** Sender of `count` base OTs: returns both keys of every OT. */
export async function baseOtSend(channel: Channel, count: number): Promise<BaseOtSenderKeys> {
  requireCount(count, 'baseOtSend');
  const a = randomScalar();
  const bigA = RistrettoPoint.BASE.multiply(a);
  const aBytes = bigA.toBytes();
  await channel.send(aBytes.slice());
  const bs = await channel.recv(count * POINT_BYTES, 'base-ot: receiver points');
  const aA = bigA.multiply(a);
  const keys0 = new Uint8Array(16 * count);
  const keys1 = new Uint8Array(16 * count);
  for (let i = 0; i < count; i++) {
    const bBytes = bs.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);
    const p0 = RistrettoPoint.fromBytes(bBytes).multiply(a);
    keys0.set(deriveKey(i, aBytes, bBytes, p0), 16 * i);
    keys1.set(deriveKey(i, aBytes, bBytes, p0.subtract(aA)), 16 * i);
  }
  return { keys0, keys1 };
}

/** Receiver of base OTs with one 0/1 choice byte each: returns the chosen 16-byte keys. */
export async function baseOtReceive(channel: Channel, choices: Uint8Array): Promise<Uint8Array> {
  requireChoices(choices, 2, 'baseOtReceive');
  const count = choices.length;
  const aBytes = await channel.recv(POINT_BYTES, 'base-ot: sender point');
  // A is multiplied once per OT: a window table makes those as cheap as fixed-base ones.
  const bigA = RistrettoPoint.fromBytes(aBytes).precompute(8, false);
  const scalars: bigint[] = [];
  const bs = new Uint8Array(count * POINT_BYTES);
  for (let i = 0; i < count; i++) {
    const b = randomScalar();
    scalars.push(b);
    const bG = RistrettoPoint.BASE.multiply(b);
    selectByMask(bs.subarray(i * POINT_BYTES), bG.toBytes(), bG.add(bigA).toBytes(), choices[i]!);
  }
  await channel.send(bs.slice());
  const keys = new Uint8Array(16 * count);
  for (let i = 0; i < count; i++) {
    const bBytes = bs.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES);
    keys.set(deriveKey(i, aBytes, bBytes, bigA.multiply(scalars[i]!)), 16 * i);
  }
  return keys;
}
