/**
 * Vector correlated OT: the receiver gets m0 + r_j·Δ_{rows[j]} mod 2^{w_j} for every one of the
 * k values of every OT, and the bytes equal the formula (IKNP columns + a packed bit stream).
 */
import { describe, expect, it } from 'vitest';
import { OtError, vectorCotBatchSize, vectorCotReceive, vectorCotSend } from '../src/index.js';
import { bytesBothWays, randomU8, randomValues, sharedIknpPair } from './helpers.js';

function asBig(v: Uint32Array, ell: number): bigint[] {
  if (ell <= 32) return Array.from(v, (x) => BigInt(x));
  return Array.from(new BigUint64Array(v.slice().buffer));
}

/** Both directions: per batch 128·⌈count/8⌉ column bytes and ⌈k·Σ w_j / 8⌉ reply bytes. */
function vectorCotBytes(widths: Uint8Array, k: number, ell: number): number {
  const batch = vectorCotBatchSize(k, ell);
  let bytes = 0;
  for (let first = 0; first < widths.length; first += batch) {
    const count = Math.min(batch, widths.length - first);
    let bits = 0;
    for (let j = first; j < first + count; j++) bits += widths[j]!;
    bytes += 128 * Math.ceil(count / 8) + Math.ceil((bits * k) / 8);
  }
  return bytes;
}

const CASES: [number, number, number][] = [
  // [n, k, ℓ]
  [1, 1, 32],
  [129, 7, 32],
  [300, 13, 5],
  [200, 3, 37],
  [130, 9, 64],
  [600, 3000, 32], // several batches
  [300, 1800, 41], // several batches, two limbs
];

describe('vector correlated OT', () => {
  it.each(CASES)(
    'n = %i, k = %i, ℓ = %i: correct mod 2^w_j, bytes = formula',
    async (n, k, ell) => {
      const { sender, receiver, a } = await sharedIknpPair();
      const rowsCount = 5;
      const deltas = randomValues(rowsCount * k, ell);
      const rows = Uint32Array.from(randomU8(n, rowsCount));
      const widths = Uint8Array.from(randomU8(n, ell), (w) => w + 1);
      widths[0] = ell;
      const choices = randomU8(n, 2);
      const wpv = ell > 32 ? 2 : 1;
      const m0 = new Uint32Array(n * k * wpv);
      const got = new Uint32Array(n * k * wpv);
      const before = bytesBothWays(a);
      const shape = { k, ell, widths };
      await Promise.all([
        vectorCotSend(sender, deltas, rows, shape, (first, _count, v) =>
          m0.set(v, first * k * wpv),
        ),
        vectorCotReceive(receiver, choices, shape, (first, _count, v) =>
          got.set(v, first * k * wpv),
        ),
      ]);
      expect(bytesBothWays(a) - before).toBe(vectorCotBytes(widths, k, ell));
      const [x0, d, g] = [asBig(m0, ell), asBig(deltas, ell), asBig(got, ell)];
      for (let j = 0; j < n; j++) {
        const mod = 1n << BigInt(widths[j]!);
        for (let v = 0; v < k; v++) {
          const x = x0[j * k + v]!;
          const want = (x + (choices[j] ? d[rows[j]! * k + v]! : 0n)) % mod;
          if (x >= mod || g[j * k + v] !== want)
            throw new Error(`OT ${j} value ${v}: ${g[j * k + v]} != ${want} (w = ${widths[j]})`);
        }
      }
    },
  );

  it.each([
    [300, 5, 32],
    [700, 3000, 20], // several batches and chunks
    [200, 7, 41],
  ])(
    'accumulator, n = %i, k = %i, ℓ = %i: w_j + s_j = ℓ: shares of Σ 2^s_j·r_j·Δ_j mod 2^ℓ per row',
    async (n, k, ell) => {
      const { sender, receiver } = await sharedIknpPair();
      const wpv = ell > 32 ? 2 : 1;
      const [rowsCount, outRows] = [4, 3];
      const deltas = randomValues(rowsCount * k, ell);
      const rows = Uint32Array.from(randomU8(n, rowsCount));
      const widths = Uint8Array.from(randomU8(n, ell), (w) => w + 1);
      const targets = Uint32Array.from(randomU8(n, outRows));
      const shifts = widths.map((w) => ell - w);
      const choices = randomU8(n, 2);
      const shape = { k, ell, widths };
      const accS = new Uint32Array(outRows * k * wpv);
      const accR = new Uint32Array(outRows * k * wpv);
      await Promise.all([
        vectorCotSend(sender, deltas, rows, shape, { acc: accS, targets, shifts }),
        vectorCotReceive(receiver, choices, shape, { acc: accR, targets, shifts }),
      ]);
      const mod = 1n << BigInt(ell);
      const d = asBig(deltas, ell);
      const want = new Array<bigint>(outRows * k).fill(0n);
      for (let j = 0; j < n; j++) {
        if (!choices[j]) continue;
        for (let v = 0; v < k; v++) {
          const x = d[rows[j]! * k + v]! % (1n << BigInt(widths[j]!));
          const at = targets[j]! * k + v;
          want[at] = (want[at]! + (x << BigInt(shifts[j]!))) % mod;
        }
      }
      const [s0, r0] = [asBig(accS, ell > 32 ? 64 : 32), asBig(accR, ell > 32 ? 64 : 32)];
      expect(s0.map((x, i) => (x + r0[i]!) % mod)).toEqual(want);
    },
  );

  it('m0 is not constant and the correlation holds for the top width', async () => {
    const { sender, receiver } = await sharedIknpPair();
    const k = 64;
    const widths = new Uint8Array(4).fill(32);
    const deltas = randomValues(k, 32);
    const m0 = new Uint32Array(4 * k);
    await Promise.all([
      vectorCotSend(sender, deltas, new Uint32Array(4), { k, ell: 32, widths }, (f, _c, v) =>
        m0.set(v, f * k),
      ),
      vectorCotReceive(receiver, new Uint8Array(4), { k, ell: 32, widths }, () => {}),
    ]);
    expect(new Set(m0).size).toBeGreaterThan(200);
  });

  it('rejects bad parameters before any I/O', async () => {
    const { sender, receiver, a } = await sharedIknpPair();
    const before = bytesBothWays(a);
    const shape = { k: 2, ell: 8, widths: Uint8Array.of(8, 9) };
    const sink = () => {};
    await expect(
      vectorCotSend(sender, new Uint32Array(4), new Uint32Array(2), shape, sink),
    ).rejects.toThrow(OtError);
    await expect(vectorCotReceive(receiver, Uint8Array.of(0, 2), shape, sink)).rejects.toThrow(
      OtError,
    );
    const ok = { k: 2, ell: 8, widths: Uint8Array.of(8, 8) };
    await expect(
      vectorCotSend(sender, new Uint32Array(3), new Uint32Array(2), ok, sink),
    ).rejects.toThrow(/whole rows/);
    await expect(
      vectorCotSend(sender, new Uint32Array(4), Uint32Array.of(0, 2), ok, sink),
    ).rejects.toThrow(/rows\[1\]/);
    const acc = {
      acc: new Uint32Array(4),
      targets: Uint32Array.of(0, 2),
      shifts: Uint8Array.of(0, 1),
    };
    await expect(
      vectorCotSend(sender, new Uint32Array(4), new Uint32Array(2), ok, acc),
    ).rejects.toThrow(/targets\[1\]/);
    const shift = {
      acc: new Uint32Array(4),
      targets: Uint32Array.of(0, 1),
      shifts: Uint8Array.of(0, 32),
    };
    await expect(vectorCotReceive(receiver, Uint8Array.of(0, 1), ok, shift)).rejects.toThrow(
      /shifts\[1\]/,
    );
    const partial = {
      acc: new Uint32Array(5),
      targets: Uint32Array.of(0, 1),
      shifts: new Uint8Array(2),
    };
    await expect(vectorCotReceive(receiver, Uint8Array.of(0, 1), ok, partial)).rejects.toThrow(
      /whole rows/,
    );
    expect(bytesBothWays(a)).toBe(before);
  });
});
