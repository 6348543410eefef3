import { type Channel, memoryPair, seededRandom, testSeed } from '@secinfer/transport';
import { beforeEach, onTestFailed } from 'vitest';
import {
  type FerretParams,
  IknpReceiver,
  IknpSender,
  KkotReceiver,
  KkotSender,
  topWordMask,
  wordsPerValue,
} from '../src/index.js';

/** The seed of this file's random test data (SECINFER_TEST_SEED overrides), printed on failure. */
export const SEED = testSeed(1);
const random = seededRandom(SEED);
beforeEach(() => {
  onTestFailed(() => {
    console.error(`random test data: SECINFER_TEST_SEED=${SEED}`);
  });
});

/** Seeded test randomness (the project's PRNG; never in src/). */
export function randomU8(n: number, below = 256): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * below);
  return out;
}

/** n random reduced ℓ-bit values in the project layout. */
export function randomValues(n: number, ell: number): Uint32Array {
  const words = wordsPerValue(ell);
  const out = new Uint32Array(n * words);
  for (let i = 0; i < n * words; i++) {
    const mask = words === 2 && i % 2 === 0 ? 0xffffffff : topWordMask(ell);
    out[i] = (random() * 2 ** 32) & mask;
  }
  return out;
}

export async function iknpPair(): Promise<{
  sender: IknpSender;
  receiver: IknpReceiver;
  a: Channel;
  b: Channel;
}> {
  const [a, b] = memoryPair();
  const [sender, receiver] = await Promise.all([IknpSender.setup(a), IknpReceiver.setup(b)]);
  return { sender, receiver, a, b };
}

export async function kkotPair(): Promise<{
  sender: KkotSender;
  receiver: KkotReceiver;
  a: Channel;
  b: Channel;
}> {
  const [a, b] = memoryPair();
  const [sender, receiver] = await Promise.all([KkotSender.setup(a), KkotReceiver.setup(b)]);
  return { sender, receiver, a, b };
}

/** Payload bytes both ways. */
export function bytesBothWays(a: Channel): number {
  return a.stats.bytesSent + a.stats.bytesReceived;
}

export function hex(a: Uint8Array): string {
  return Buffer.from(a).toString('hex');
}

let sharedIknp: ReturnType<typeof iknpPair> | undefined;
/** One IKNP setup reused by a test file's correctness tests (setup reuse is tested too). */
export function sharedIknpPair(): ReturnType<typeof iknpPair> {
  sharedIknp ??= iknpPair();
  return sharedIknp;
}

let sharedKkot: ReturnType<typeof kkotPair> | undefined;
/** One KKOT setup reused by a test file's correctness tests. */
export function sharedKkotPair(): ReturnType<typeof kkotPair> {
  sharedKkot ??= kkotPair();
  return sharedKkot;
}

/**
 * Ferret parameters small enough for tests (not secure): a main iteration of 16,384 COTs and
 * its bootstrap of 2,560, with the shapes of the real sets (t trees of 2^h leaves, LPN k × d).
 */
export const SMALL_FERRET = {
  main: { name: 'test-main', n: 64 * 256, t: 64, h: 8, k: 2048, d: 10 },
  bootstrap: { name: 'test-boot', n: 40 * 64, t: 40, h: 6, k: 600, d: 10 },
} as const satisfies Record<'main' | 'bootstrap', FerretParams>;
