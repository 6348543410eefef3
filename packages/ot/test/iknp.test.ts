import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import {
  crHash,
  IknpCotSender,
  IknpReceiver,
  IknpSender,
  OtError,
  tccrHash,
} from '../src/index.js';
import { bytesBothWays, hex, iknpPair, randomU8, randomValues, sharedIknpPair } from './helpers.js';

const COUNTS = [1, 127, 128, 129, 100_000];
const WIDTHS = [1, 2, 8, 31, 32, 37, 64];

/** Receiver's columns: 16 B per OT, ⌈n/8⌉ bytes per column, in batches of 2^17. */
const columnBytes = (n: number) => 128 * Math.ceil(n / 8);
const packed = (n: number, bits: number) => Math.ceil((n * bits) / 8);

const mod = (ell: number) => 1n << BigInt(ell);
function asBig(v: Uint32Array, ell: number): bigint[] {
  if (ell <= 32) return Array.from(v, (x) => BigInt(x));
  return Array.from(new BigUint64Array(v.slice().buffer));
}

describe('IKNP random OT', () => {
  it.each(COUNTS)('n = %i: receiver gets m_{r_j}; 16 B per OT', async (n) => {
    const { sender, receiver, a } = await sharedIknpPair();
    const before = bytesBothWays(a);
    const r = randomU8(n, 2);
    const [{ m0, m1 }, got] = await Promise.all([sender.randomOt(n), receiver.randomOt(r)]);
    for (let j = 0; j < n; j++) {
      const want = (r[j] ? m1 : m0).subarray(16 * j, 16 * j + 16);
      if (hex(got.subarray(16 * j, 16 * j + 16)) !== hex(want)) throw new Error(`OT ${j} wrong`);
    }
    expect(hex(m0.subarray(0, 16))).not.toBe(hex(m1.subarray(0, 16)));
    expect(bytesBothWays(a) - before).toBe(columnBytes(n));
  });
});

describe('IKNP tweaks', () => {
  it('pads are H(j, q_j) with j the global OT index, padding and earlier calls counted', async () => {
    // Two pairs from the same base-OT keys see the same rows q_j; the second exposes them.
    const s = randomU8(128, 2);
    const keys0 = randomU8(16 * 128);
    const keys1 = randomU8(16 * 128);
    const keys = keys0.slice();
    for (let i = 0; i < 128; i++) if (s[i]) keys.set(keys1.subarray(16 * i, 16 * i + 16), 16 * i);
    const calls = [randomU8(200, 2), randomU8(300, 2)];
    const pair = () => {
      const [a, b] = memoryPair();
      return [
        IknpSender.fromBaseOts(a, s, keys),
        IknpReceiver.fromBaseOts(b, keys0, keys1),
      ] as const;
    };
    const [sender, receiver] = pair();
    const [rowSender, rowReceiver] = pair();
    const rows = new IknpCotSender(rowSender);
    const tweaks = [0, 256];
    for (const [i, r] of calls.entries()) {
      const [{ m0 }, , q] = await Promise.all([
        sender.randomOt(r.length),
        receiver.randomOt(r),
        rows.next(r.length),
        rowReceiver.randomOt(r),
      ]);
      expect(hex(m0)).toBe(hex(tccrHash(q, tweaks[i]!)));
      expect(hex(m0)).not.toBe(hex(crHash(q)));
    }
  });
});

describe('IKNP correlated OT', () => {
  for (const ell of WIDTHS) {
    it.each(COUNTS)(`ℓ = ${ell}, n = %i: m1 = m0 + Δ mod 2^ℓ; 16 B + ℓ bits per OT`, async (n) => {
      const { sender, receiver, a } = await sharedIknpPair();
      const before = bytesBothWays(a);
      const r = randomU8(n, 2);
      const d = randomValues(n, ell);
      const [m0, got] = await Promise.all([
        sender.correlatedOt(d, ell),
        receiver.correlatedOt(r, ell),
      ]);
      expect(bytesBothWays(a) - before).toBe(columnBytes(n) + packed(n, ell));
      const [x0, dd, g] = [asBig(m0, ell), asBig(d, ell), asBig(got, ell)];
      for (let j = 0; j < n; j++) {
        const want = (x0[j]! + (r[j] ? dd[j]! : 0n)) % mod(ell);
        if (g[j] !== want) throw new Error(`OT ${j}: ${g[j]} != ${want}`);
      }
    });
  }

  it.each([1, 129, 100_000])('XOR correlation, ℓ = 37, n = %i: m1 = m0 ⊕ Δ', async (n) => {
    const { sender, receiver } = await sharedIknpPair();
    const r = randomU8(n, 2);
    const d = randomValues(n, 37);
    const [m0, got] = await Promise.all([
      sender.correlatedOt(d, 37, 'xor'),
      receiver.correlatedOt(r, 37, 'xor'),
    ]);
    const [x0, dd, g] = [asBig(m0, 37), asBig(d, 37), asBig(got, 37)];
    for (let j = 0; j < n; j++) expect(g[j]).toBe(x0[j]! ^ (r[j] ? dd[j]! : 0n));
  });

  it.each(COUNTS)('ℓ = 128, n = %i: m1 = m0 ⊕ Δ; 32 B per OT', async (n) => {
    const { sender, receiver, a } = await sharedIknpPair();
    const before = bytesBothWays(a);
    const r = randomU8(n, 2);
    const d = randomU8(16 * n);
    const [m0, got] = await Promise.all([sender.correlatedOt128(d), receiver.correlatedOt128(r)]);
    expect(bytesBothWays(a) - before).toBe(columnBytes(n) + 16 * n);
    for (let i = 0; i < 16 * n; i++) {
      const want = m0[i]! ^ (r[i >>> 4] ? d[i]! : 0);
      if (got[i] !== want) throw new Error(`byte ${i}`);
    }
  });
});

describe('IKNP chosen-message OT', () => {
  for (const ell of WIDTHS) {
    it.each(COUNTS)(`ℓ = ${ell}, n = %i: receiver gets m_{r_j}; 16 B + 2ℓ bits`, async (n) => {
      const { sender, receiver, a } = await sharedIknpPair();
      const before = bytesBothWays(a);
      const r = randomU8(n, 2);
      const m0 = randomValues(n, ell);
      const m1 = randomValues(n, ell);
      const [, got] = await Promise.all([sender.chosenOt(m0, m1, ell), receiver.chosenOt(r, ell)]);
      expect(bytesBothWays(a) - before).toBe(columnBytes(n) + 2 * packed(n, ell));
      const w = ell > 32 ? 2 : 1;
      for (let j = 0; j < n * w; j++) {
        const want = (r[Math.floor(j / w)] ? m1 : m0)[j];
        if (got[j] !== want) throw new Error(`word ${j}`);
      }
    });
  }

  it.each([
    [1, 16],
    [127, 16],
    [128, 16],
    [129, 16],
    [100_000, 16],
    [129, 1],
    [129, 5],
    [1000, 33],
    [77, 100],
  ])('n = %i of %i-byte messages: 16 B + 2L B per OT (128-bit: 48 B)', async (n, L) => {
    const { sender, receiver, a } = await sharedIknpPair();
    const before = bytesBothWays(a);
    const r = randomU8(n, 2);
    const m0 = randomU8(n * L);
    const m1 = randomU8(n * L);
    const [, got] = await Promise.all([
      sender.chosenOtBytes(m0, m1, L),
      receiver.chosenOtBytes(r, L),
    ]);
    expect(bytesBothWays(a) - before).toBe(columnBytes(n) + 2 * n * L);
    if (n % 8 === 0 && L === 16) expect(bytesBothWays(a) - before).toBe(48 * n);
    for (let j = 0; j < n; j++) {
      const want = (r[j] ? m1 : m0).subarray(j * L, j * L + L);
      if (hex(got.subarray(j * L, j * L + L)) !== hex(want)) throw new Error(`OT ${j}`);
    }
  });
});

describe('IKNP setup reuse and errors', () => {
  it('one setup serves many extensions of different kinds', async () => {
    const { sender, receiver } = await iknpPair();
    for (const n of [5, 1000, 70_000]) {
      const r = randomU8(n, 2);
      const d = randomValues(n, 32);
      const [m0, got] = await Promise.all([
        sender.correlatedOt(d, 32),
        receiver.correlatedOt(r, 32),
      ]);
      for (let j = 0; j < n; j++) expect(got[j]).toBe((m0[j]! + (r[j] ? d[j]! : 0)) >>> 0);
      const [{ m0: p0, m1: p1 }, p] = await Promise.all([sender.randomOt(n), receiver.randomOt(r)]);
      expect(hex(p.subarray(0, 16))).toBe(hex((r[0] ? p1 : p0).subarray(0, 16)));
    }
  });

  it('bad parameters throw OtError before any I/O', async () => {
    const { sender, receiver, a } = await iknpPair();
    const before = bytesBothWays(a);
    await expect(sender.correlatedOt(new Uint32Array(4), 0)).rejects.toBeInstanceOf(OtError);
    await expect(sender.correlatedOt(new Uint32Array(3), 40)).rejects.toMatchObject({
      code: 'BAD_LENGTH',
    });
    await expect(receiver.chosenOt(new Uint8Array(3), 65)).rejects.toMatchObject({
      code: 'BAD_WIDTH',
    });
    await expect(receiver.randomOt(Uint8Array.from([0, 2]))).rejects.toMatchObject({
      code: 'BAD_CHOICE',
    });
    expect(bytesBothWays(a)).toBe(before);
  });

  it('a count mismatch between the parties rejects with a typed error', async () => {
    const { sender, receiver } = await iknpPair();
    const res = await Promise.allSettled([
      sender.correlatedOt(new Uint32Array(100), 32),
      receiver.correlatedOt(new Uint8Array(200), 32),
    ]);
    expect(
      res.some((x) => x.status === 'rejected' && x.reason.name === 'UnexpectedLengthError'),
    ).toBe(true);
  });

  it('a width mismatch between the parties rejects with a typed error', async () => {
    const { sender, receiver } = await iknpPair();
    const res = await Promise.allSettled([
      sender.chosenOt(new Uint32Array(64), new Uint32Array(64), 16),
      receiver.chosenOt(new Uint8Array(64), 17),
    ]);
    expect(
      res.some((x) => x.status === 'rejected' && x.reason.name === 'UnexpectedLengthError'),
    ).toBe(true);
  });
});
