import { describe, expect, it } from 'vitest';
import type { PartyContext } from '../../src/context.js';
import { idealContextPair } from '../../src/ideal.js';
import { SERVER } from '../../src/party.js';
import { argmax } from '../../src/protocols/argmax.js';
import {
  comparisons,
  directPlan,
  maxpool,
  maxpoolPlan,
  type PoolPass,
  type PoolShape,
  poolOutputSize,
  runPoolPlan,
  separablePlan,
} from '../../src/protocols/maxpool.js';

import { random } from '../oracle.js';

import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

/** Signed values in [−2^(ℓ−2), 2^(ℓ−2)), the documented input range, as unsigned ℓ-bit. */
function inRange(count: number, ell: number): bigint[] {
  return randomValues(count, ell - 1).map((v) => BigInt.asUintN(ell, BigInt.asIntN(ell - 1, v)));
}

/** Cleartext oracle: ONNX MaxPool semantics (padding never wins) on signed ℓ-bit values. */
function maxpoolClear(x: bigint[], shape: PoolShape, ell: number): bigint[] {
  const [outH, outW] = poolOutputSize(shape);
  const [pt, pl] = shape.padding ?? [0, 0, 0, 0];
  const out: bigint[] = [];
  for (let c = 0; c < shape.channels; c++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        let best: bigint | null = null;
        for (let ky = 0; ky < shape.kernel[0]; ky++) {
          for (let kx = 0; kx < shape.kernel[1]; kx++) {
            const y = oy * shape.stride[0] - pt + ky;
            const xx = ox * shape.stride[1] - pl + kx;
            if (y < 0 || y >= shape.height || xx < 0 || xx >= shape.width) continue;
            const v = BigInt.asIntN(ell, x[(c * shape.height + y) * shape.width + xx]!);
            if (best === null || v > best) best = v;
          }
        }
        out.push(BigInt.asUintN(ell, best!));
      }
    }
  }
  return out;
}

/** H': the input rows that some window covers (padding rows are not input rows). */
function touchedRows(shape: PoolShape): number {
  const [outH] = poolOutputSize(shape);
  const rows = new Set<number>();
  for (let oy = 0; oy < outH; oy++) {
    for (let ky = 0; ky < shape.kernel[0]; ky++) {
      const y = oy * shape.stride[0] - (shape.padding?.[0] ?? 0) + ky;
      if (y >= 0 && y < shape.height) rows.add(y);
    }
  }
  return rows.size;
}

const argmaxClear = (x: bigint[], ell: number) => {
  const signed = x.map((v) => BigInt.asIntN(ell, v));
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take BigInt
  return signed.indexOf(signed.reduce((a, b) => (b > a ? b : a)));
};

async function both<T>(f: (ctx: PartyContext) => Promise<T>) {
  const [server, client] = idealContextPair();
  return Promise.all([f(server), f(client)]);
}

const SHAPES: [string, PoolShape][] = [
  [
    '3×3 stride 2 pad 1 (ResNet50)',
    { channels: 3, height: 9, width: 8, kernel: [3, 3], stride: [2, 2], padding: [1, 1, 1, 1] },
  ],
  [
    '3×3 stride 2 (SqueezeNet)',
    { channels: 2, height: 11, width: 11, kernel: [3, 3], stride: [2, 2] },
  ],
  [
    '3×3 stride 2, ceil mode as bottom/right padding',
    { channels: 2, height: 10, width: 10, kernel: [3, 3], stride: [2, 2], padding: [0, 0, 1, 1] },
  ],
  [
    '3×3 stride 2 on 10×10: the last row and column are in no window',
    { channels: 2, height: 10, width: 10, kernel: [3, 3], stride: [2, 2] },
  ],
  ['3×3 stride 1', { channels: 2, height: 7, width: 6, kernel: [3, 3], stride: [1, 1] }],
  [
    '2×3 stride 1×2, uneven padding',
    { channels: 2, height: 6, width: 7, kernel: [2, 3], stride: [1, 2], padding: [1, 2, 0, 1] },
  ],
  ['2×2 stride 2 (MiniONN)', { channels: 4, height: 6, width: 6, kernel: [2, 2], stride: [2, 2] }],
  [
    '2×2 stride 3: rows between the windows',
    { channels: 2, height: 8, width: 8, kernel: [2, 2], stride: [3, 3] },
  ],
  ['1×3 stride 2', { channels: 2, height: 4, width: 9, kernel: [1, 3], stride: [1, 2] }],
  ['1×1', { channels: 1, height: 3, width: 3, kernel: [1, 1], stride: [1, 1] }],
];

/**
 * Inputs of three kinds, each with its edge values scattered over a third of the positions
 * (ties included) and its maximum first, where a wrong stand-in for padding would show. The
 * pairwise differences must fit ℓ bits: within the documented range [−2^(ℓ−2), 2^(ℓ−2)), or
 * all non-negative up to 2^(ℓ−1) − 1, or all negative down to −2^(ℓ−1) (so zero padding
 * would win every border window).
 */
function inputs(count: number, ell: number): [string, bigint[]][] {
  const half = 1n << BigInt(ell - 1);
  const quarter = half >> 1n;
  const kinds: [string, bigint[], bigint[]][] = [
    ['in range', inRange(count, ell), [quarter - 1n, -quarter, 0n, 1n, -1n]],
    ['non-negative', randomValues(count, ell - 1), [half - 1n, 0n, 1n]],
    ['negative', randomValues(count, ell - 1).map((v) => v - half), [-1n, -half, -2n]],
  ];
  return kinds.map(([name, x, edges]) => {
    const signed = x.map((v) => BigInt.asIntN(ell, v));
    for (let i = 0; i < count; i++) {
      if (random() < 1 / 3) signed[i] = edges[Math.floor(random() * edges.length)]!;
    }
    signed[0] = edges[0]!;
    return [name, signed.map((v) => BigInt.asUintN(ell, v))];
  });
}

type Pool = (ctx: PartyContext, shares: Uint32Array) => Promise<Uint32Array>;

/** Shares x, pools both shares with `pool`, and opens the result. */
async function pooled(x: bigint[], ell: number, pool: Pool): Promise<bigint[]> {
  const [x0, x1] = additiveShares(x, ell);
  const [y0, y1] = await both((ctx) => pool(ctx, toLayout(ctx.party === SERVER ? x0 : x1, ell)));
  const right = fromLayout(y1, ell);
  return fromLayout(y0, ell).map((v, i) => BigInt.asUintN(ell, v + right[i]!));
}

describe('maxpool', () => {
  for (const ell of [32, 37]) {
    for (const [name, shape] of SHAPES) {
      it(`${name}, ℓ = ${ell}: separable = direct = maxpool = the cleartext maxpool`, async () => {
        const withPlan =
          (plan: PoolPass[]): Pool =>
          (ctx, shares) =>
            runPoolPlan(ctx, shares, plan, ell);
        const pools: [string, Pool][] = [
          ['maxpool', (ctx, shares) => maxpool(ctx, shares, shape, ell)],
          ['direct', withPlan(directPlan(shape))],
          ['separable', withPlan(separablePlan(shape))],
        ];
        for (const [kind, x] of inputs(shape.channels * shape.height * shape.width, ell)) {
          const expected = maxpoolClear(x, shape, ell);
          for (const [plan, pool] of pools) {
            expect(await pooled(x, ell, pool), `${kind} inputs, ${plan}`).toEqual(expected);
          }
        }
      });
    }
  }

  it('counts comparisons: separable for overlapping windows, direct when it is no dearer', () => {
    const chosen = (shape: PoolShape) => (maxpoolPlan(shape).length === 1 ? 'direct' : 'separable');
    // SqueezeNet 1.1: 64 × 111 × 111, 3×3 stride 2 → 64 × 55 × 55, every input row in a window.
    const squeezenet: PoolShape = {
      channels: 64,
      height: 111,
      width: 111,
      kernel: [3, 3],
      stride: [2, 2],
    };
    expect(comparisons(directPlan(squeezenet))).toBe(64 * 55 * 55 * 8);
    expect(comparisons(separablePlan(squeezenet))).toBe(64 * 111 * 55 * 2 + 64 * 55 * 55 * 2);
    expect(chosen(squeezenet)).toBe('separable');
    // ResNet50: 64 × 112 × 112, 3×3 stride 2 pad 1 → 64 × 56 × 56: exactly 25 % fewer.
    const resnet: PoolShape = { ...squeezenet, height: 112, width: 112, padding: [1, 1, 1, 1] };
    expect(comparisons(separablePlan(resnet)) / comparisons(directPlan(resnet))).toBe(0.75);
    expect(chosen(resnet)).toBe('separable');
    // Rows no window touches cost nothing: 10 × 10 3×3/s2 reads rows 0..8 only.
    const [, tenByTen] = SHAPES.find(([name]) => name.includes('no window'))!;
    expect(comparisons(separablePlan(tenByTen))).toBe(2 * 9 * 4 * 2 + 2 * 4 * 4 * 2);
    for (const [name, shape] of SHAPES) {
      // Rows cost H'·outW·(k_w − 1) against outH·outW·k_h·(k_w − 1) saved: separable wins
      // exactly when k_w > 1 and some input row serves two window rows (overlap or padding).
      const [outH] = poolOutputSize(shape);
      const [kh, kw] = shape.kernel;
      const saves = kw > 1 && touchedRows(shape) < outH * kh;
      expect(chosen(shape), name).toBe(saves ? 'separable' : 'direct');
    }
  });

  it('rejects a window larger than the input and a mismatched tensor before any OT', async () => {
    const [ot] = idealContextPair();
    const shape: PoolShape = { channels: 1, height: 2, width: 2, kernel: [3, 3], stride: [1, 1] };
    await expect(maxpool(ot, new Uint32Array(4), shape, 32)).rejects.toThrow(/does not fit/);
    const fits: PoolShape = { ...shape, kernel: [2, 2] };
    await expect(maxpool(ot, new Uint32Array(5), fits, 32)).rejects.toThrow(
      /expected 1×2×2 values/,
    );
  });
});

describe('argmax', () => {
  for (const [count, ell] of [
    [10, 32],
    [1000, 32],
    [7, 37],
    [1, 32],
  ] as const) {
    it(`finds the first maximum of ${count} ${ell}-bit values, ties included`, async () => {
      const x = inRange(count, ell);
      if (count > 5) x[5] = x[2] = (1n << BigInt(ell - 2)) - 1n; // a tie at the top: index 2 wins
      const [x0, x1] = additiveShares(x, ell);
      const [r0, r1] = await both((ctx) =>
        argmax(ctx, toLayout(ctx.party === SERVER ? x0 : x1, ell), ell),
      );
      const index = BigInt.asUintN(
        ell,
        fromLayout(r0.index, ell)[0]! + fromLayout(r1.index, ell)[0]!,
      );
      const value = BigInt.asUintN(
        ell,
        fromLayout(r0.value, ell)[0]! + fromLayout(r1.value, ell)[0]!,
      );
      expect(Number(index)).toBe(argmaxClear(x, ell));
      expect(value).toBe(x[argmaxClear(x, ell)]);
    });
  }
});
