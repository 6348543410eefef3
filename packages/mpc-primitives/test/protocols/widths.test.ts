/**
 * Every ring protocol at every width ℓ = 1 … 64 on the real OT stack, in both modes of the
 * OtPack (IKNP/KK13 and silent Ferret COT with small parameter sets): random and edge inputs,
 * each output against its cleartext oracle bit for bit (approximate truncation: exactly the
 * exact result or one below). real-ot.test.ts checks the bytes at the widths networks use.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { PartyContext } from '../../src/context.js';
import { CLIENT, type Party, SERVER } from '../../src/party.js';
import { b2a } from '../../src/protocols/b2a.js';
import { dreluRing } from '../../src/protocols/drelu-ring.js';
import { millionaire } from '../../src/protocols/millionaire.js';
import { mux } from '../../src/protocols/mux.js';
import { reluRing } from '../../src/protocols/relu-ring.js';
import { trunc, truncNonNegative, truncReduce } from '../../src/protocols/truncation.js';
import {
  truncApproximate,
  truncApproximateNonNegative,
} from '../../src/protocols/truncation-approximate.js';
import { realStack } from './real-stack.js';
import { additiveShares, edgeValues, fromLayout, randomValues, toLayout } from './values.js';

const WIDTHS = Array.from({ length: 64 }, (_, i) => i + 1);
/** Random values per width, beside the edges. */
const RANDOM = 24;

const signed = (v: bigint, ell: number) => BigInt.asIntN(ell, v);
const bitSum = ([a, b]: [Uint8Array, Uint8Array]) => [...a].map((v, i) => v ^ b[i]!);
const ringSum = ([a, b]: [Uint32Array, Uint32Array], ell: number) => {
  const right = fromLayout(b, ell);
  return fromLayout(a, ell).map((v, i) => BigInt.asUintN(ell, v + right[i]!));
};

for (const mode of ['iknp', 'silent'] as const) {
  describe(`every ℓ in 1..64 on the real OT stack (${mode})`, () => {
    let contexts: [PartyContext, PartyContext];
    beforeAll(async () => {
      ({ contexts } = await realStack(mode));
    });
    const both = <T>(f: (p: Party, ctx: PartyContext) => Promise<T>) =>
      Promise.all([f(SERVER, contexts[0]), f(CLIENT, contexts[1])]) as Promise<[T, T]>;

    for (const ell of WIDTHS) {
      it(`ℓ = ${ell}: millionaire, DReLU, ReLU, MUX, B2A, truncations`, async () => {
        const x = [...edgeValues(ell), ...randomValues(RANDOM, ell)];
        const n = x.length;
        const y = [...randomValues(n, ell)].map((v, i) => (i % 3 === 0 ? x[i]! : v));
        const [x0, x1] = additiveShares(x, ell);
        const shares = (p: Party) => toLayout(p === SERVER ? x0 : x1, ell);

        const gt = await both((p, ctx) =>
          millionaire(ctx, toLayout(p === SERVER ? x : y, ell), ell),
        );
        expect(bitSum(gt)).toEqual(x.map((v, i) => Number(v > y[i]!)));

        const drelu = await both((p, ctx) => dreluRing(ctx, shares(p), ell));
        expect(bitSum(drelu)).toEqual(x.map((v) => Number(signed(v, ell) >= 0n)));

        const relu = await both((p, ctx) => reluRing(ctx, shares(p), ell));
        expect(ringSum(relu, ell)).toEqual(x.map((v) => (signed(v, ell) >= 0n ? v : 0n)));

        const sel = x.map((_, i) => Number((y[i]! & 1n) === 1n));
        const selShares = [sel.map((_, i) => i & 1), sel.map((v, i) => v ^ (i & 1))];
        const muxed = await both((p, ctx) =>
          mux(ctx, Uint8Array.from(selShares[p === SERVER ? 0 : 1]!), shares(p), ell),
        );
        expect(ringSum(muxed, ell)).toEqual(x.map((v, i) => (sel[i] ? v : 0n)));

        const arith = await both((p, ctx) =>
          b2a(ctx, Uint8Array.from(selShares[p === SERVER ? 0 : 1]!), ell),
        );
        expect(ringSum(arith, ell)).toEqual(sel.map(BigInt));

        if (ell === 1) return; // a shift needs 1 ≤ s < ℓ
        for (const s of [...new Set([1, Math.ceil(ell / 3), ell - 1])]) {
          const floor = x.map((v) => BigInt.asUintN(ell, signed(v, ell) >> BigInt(s)));
          expect(ringSum(await both((p, ctx) => trunc(ctx, shares(p), ell, s)), ell)).toEqual(
            floor,
          );

          const reduced = await both((p, ctx) => truncReduce(ctx, shares(p), ell, s));
          expect(ringSum(reduced, ell - s)).toEqual(floor.map((v) => BigInt.asUintN(ell - s, v)));

          // Non-negative inputs (the top bit cleared), as after a ReLU.
          const half = (1n << BigInt(ell - 1)) - 1n;
          const pos = x.map((v) => v & half);
          const [p0, p1] = additiveShares(pos, ell);
          const posShares = (p: Party) => toLayout(p === SERVER ? p0 : p1, ell);
          const posFloor = pos.map((v) => v >> BigInt(s));
          const nonneg = await both((p, ctx) => truncNonNegative(ctx, posShares(p), ell, s));
          expect(ringSum(nonneg, ell)).toEqual(posFloor);

          // Approximate (opt-in): the exact result or one below, never anything else.
          const approx = ringSum(
            await both((p, ctx) => truncApproximate(ctx, shares(p), ell, s)),
            ell,
          );
          const approxPos = ringSum(
            await both((p, ctx) => truncApproximateNonNegative(ctx, posShares(p), ell, s)),
            ell,
          );
          for (const [got, want] of [
            [approx, floor],
            [approxPos, posFloor],
          ] as const)
            for (const [i, v] of got.entries()) {
              const below = BigInt.asUintN(ell, want[i]! - v);
              expect(below === 0n || below === 1n, `ℓ=${ell} s=${s} #${i}`).toBe(true);
            }
        }
      });
    }
  });
}
