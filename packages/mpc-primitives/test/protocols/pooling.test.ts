import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { CLIENT, SERVER } from '../../src/party.js';
import { argmax } from '../../src/protocols/argmax.js';
import { maxpool, type PoolShape, poolOutputSize } from '../../src/protocols/maxpool.js';
import { idealOtPair } from './ideal-ot.js';
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

const argmaxClear = (x: bigint[], ell: number) => {
  const signed = x.map((v) => BigInt.asIntN(ell, v));
  // biome-ignore lint/complexity/useMathMinMax: Math.max does not take BigInt
  return signed.indexOf(signed.reduce((a, b) => (b > a ? b : a)));
};

async function both<T>(
  f: (
    party: 0 | 1,
    ch: ReturnType<typeof memoryPair>[0],
    ot: ReturnType<typeof idealOtPair>[0],
  ) => Promise<T>,
) {
  const [ot0, ot1] = idealOtPair();
  const [ch0, ch1] = memoryPair();
  return Promise.all([f(SERVER, ch0, ot0), f(CLIENT, ch1, ot1)]);
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
  ['2×2 stride 2 (MiniONN)', { channels: 4, height: 6, width: 6, kernel: [2, 2], stride: [2, 2] }],
  ['1×1', { channels: 1, height: 3, width: 3, kernel: [1, 1], stride: [1, 1] }],
];

describe('maxpool', () => {
  for (const ell of [32, 37]) {
    for (const [name, shape] of SHAPES) {
      it(`${name}, ℓ = ${ell}: equals the cleartext maxpool`, async () => {
        const x = inRange(shape.channels * shape.height * shape.width, ell);
        // The range's extremes; the maximum first, where a wrong stand-in for padding would show.
        x[0] = (1n << BigInt(ell - 2)) - 1n;
        x[1] = BigInt.asUintN(ell, -(1n << BigInt(ell - 2)));
        const [x0, x1] = additiveShares(x, ell);
        const [y0, y1] = await both((p, ch, ot) =>
          maxpool(p, ch, ot, toLayout(p === SERVER ? x0 : x1, ell), shape, ell),
        );
        const got = fromLayout(y0, ell).map((v, i) =>
          BigInt.asUintN(ell, v + fromLayout(y1, ell)[i]!),
        );
        expect(got).toEqual(maxpoolClear(x, shape, ell));
      });
    }
  }

  it('rejects a window larger than the input and a mismatched tensor before any OT', async () => {
    const [ot] = idealOtPair();
    const [ch] = memoryPair();
    const shape: PoolShape = { channels: 1, height: 2, width: 2, kernel: [3, 3], stride: [1, 1] };
    await expect(maxpool(SERVER, ch, ot, new Uint32Array(4), shape, 32)).rejects.toThrow(
      /does not fit/,
    );
    const fits: PoolShape = { ...shape, kernel: [2, 2] };
    await expect(maxpool(SERVER, ch, ot, new Uint32Array(5), fits, 32)).rejects.toThrow(
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
      const [r0, r1] = await both((p, ch, ot) =>
        argmax(p, ch, ot, toLayout(p === SERVER ? x0 : x1, ell), ell),
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
