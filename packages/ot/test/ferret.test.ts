import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { FERRET_RESERVE_TWEAKS } from '../src/cot/cot.js';
import {
  type CotReceiver,
  type CotSender,
  type FerretParams,
  FerretReceiver,
  FerretSender,
  OtError,
  tccrHashMasked,
} from '../src/index.js';
import { bytesBothWays, hex, randomU8, SMALL_FERRET } from './helpers.js';

/** A small pair of sets for tests: n = t·2^h, bootstrap refilling the main reserve. */
const SMALL: FerretParams = SMALL_FERRET.main;
const SMALL_BOOT: FerretParams = SMALL_FERRET.bootstrap;

/** Checks M_j = K_j ⊕ b_j·Δ for every COT. */
function checkCorrelation(
  delta: Uint8Array,
  keys: Uint8Array,
  choices: Uint8Array,
  macs: Uint8Array,
) {
  for (let j = 0; j < choices.length; j++) {
    for (let x = 0; x < 16; x++) {
      const want = keys[16 * j + x]! ^ (choices[j] ? delta[x]! : 0);
      if (macs[16 * j + x] !== want) throw new Error(`COT ${j} byte ${x}`);
    }
  }
}

describe('Ferret COT', () => {
  it('every COT satisfies M = K ⊕ b·Δ across several rounds; bytes = formula', async () => {
    const [a, b] = memoryPair();
    const options = { main: SMALL, bootstrap: SMALL_BOOT };
    const [sender, receiver] = await Promise.all([
      FerretSender.setup(a, options),
      FerretReceiver.setup(b, options),
    ]);
    const setupBytes = bytesBothWays(a);
    // base OT 32 + 128·32; params 48 each way; seeds 32; IKNP columns 128·⌈r/8⌉ for the
    // bootstrap reserve r = k + t·h; the bootstrap round t·(32h + 16).
    const r0 = SMALL_BOOT.k + SMALL_BOOT.t * SMALL_BOOT.h;
    const round = (p: FerretParams) => p.t * (32 * p.h + 16);
    expect(setupBytes).toBe(
      32 + 128 * 32 + 2 * 48 + 32 + 128 * Math.ceil(r0 / 8) + round(SMALL_BOOT),
    );
    const n = 3 * SMALL.n;
    const [keys, got] = await Promise.all([sender.next(n), receiver.next(n)]);
    checkCorrelation(sender.delta, keys, got.choices, got.macs);
    const usable = SMALL.n - (SMALL.k + SMALL.t * SMALL.h);
    const leftover = SMALL_BOOT.n - (SMALL.k + SMALL.t * SMALL.h);
    const rounds = Math.ceil((n - leftover) / usable);
    expect(sender.rounds).toBe(rounds);
    expect(receiver.rounds).toBe(rounds);
    expect(bytesBothWays(a) - setupBytes).toBe(rounds * round(SMALL));
    // Choice bits are uniform: within 6σ of n/2 (σ = √n / 2).
    const ones = got.choices.reduce((s, x) => s + x, 0);
    expect(Math.abs(ones - n / 2)).toBeLessThan(3 * Math.sqrt(n));
    // Distinct outputs: no round repeats a block.
    expect(
      new Set(Array.from({ length: 1000 }, (_, j) => hex(keys.subarray(16 * j, 16 * j + 16)))).size,
    ).toBe(1000);
  });

  it('streams in odd-sized takes with the same correlation', async () => {
    const [a, b] = memoryPair();
    const options = { main: SMALL, bootstrap: SMALL_BOOT };
    const [sender, receiver] = await Promise.all([
      FerretSender.setup(a, options),
      FerretReceiver.setup(b, options),
    ]);
    for (const n of [1, 0, 777, 12_345, 20_000]) {
      const [keys, got] = await Promise.all([sender.next(n), receiver.next(n)]);
      checkCorrelation(sender.delta, keys, got.choices, got.macs);
    }
  });

  it('a parameter mismatch is a typed error on both sides', async () => {
    const [a, b] = memoryPair();
    const results = await Promise.allSettled([
      FerretSender.setup(a, { main: SMALL, bootstrap: SMALL_BOOT }),
      FerretReceiver.setup(b, { main: { ...SMALL, d: 9 }, bootstrap: SMALL_BOOT }),
    ]);
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(OtError);
      expect((r as PromiseRejectedResult).reason.code).toBe('PARAMETER_MISMATCH');
    }
  });

  it('each round hashes its t·h level pads with the next t·h reserve tweaks, on both sides', async () => {
    const [a, b] = memoryPair();
    const options = { main: SMALL, bootstrap: SMALL_BOOT };
    const [sender, receiver] = await Promise.all([
      FerretSender.setup(a, options),
      FerretReceiver.setup(b, options),
    ]);
    let at = FERRET_RESERVE_TWEAKS + SMALL_BOOT.t * SMALL_BOOT.h;
    expect([sender.padTweak, receiver.padTweak]).toEqual([at, at]);
    for (const n of [5000, 3 * SMALL.n]) {
      const before = sender.rounds;
      const [keys, got] = await Promise.all([sender.next(n), receiver.next(n)]);
      checkCorrelation(sender.delta, keys, got.choices, got.macs);
      expect(receiver.rounds).toBe(sender.rounds);
      at += (sender.rounds - before) * SMALL.t * SMALL.h;
      expect([sender.padTweak, receiver.padTweak]).toEqual([at, at]);
    }
    expect(sender.rounds).toBeGreaterThan(2);
  });

  it('the sent level sums are masked with H(i, K) and H(i, K ⊕ Δ), i the reserve COT’s tweak', async () => {
    // A base COT pair with known keys and Δ, so the test can strip the bootstrap round's pads.
    const p = SMALL_BOOT;
    const count = p.k + p.t * p.h;
    const delta = randomU8(16);
    const keys = randomU8(16 * count);
    const choices = randomU8(count, 2);
    const macs = keys.slice();
    for (let j = 0; j < count; j++) {
      for (let x = 0; x < 16; x++) if (choices[j]) macs[16 * j + x]! ^= delta[x]!;
    }
    const [a, b] = memoryPair();
    const sent: Uint8Array[] = [];
    const send = a.send.bind(a);
    a.send = (m) => {
      sent.push(new Uint8Array(m.buffer, m.byteOffset, m.byteLength).slice());
      return send(m);
    };
    const base: CotSender = { channel: a, delta, tweak: 0, next: async () => keys };
    const baseReceiver: CotReceiver = {
      channel: b,
      tweak: 0,
      next: async () => ({ choices, macs }),
    };
    const options = { main: SMALL, bootstrap: p };
    await Promise.all([
      FerretSender.fromCot(base, options),
      FerretReceiver.fromCot(baseReceiver, options),
    ]);
    // Parameters, code seeds, then the round's one message: t·h sum pairs, t corrections.
    const msg = sent[2]!;
    expect(sent.map((m) => m.length)).toEqual([48, 32, p.t * (32 * p.h + 16)]);
    // A tree's last-level sums XOR to its leaves' sum, and its correction is Δ ⊕ that sum.
    for (let g = 0; g < p.t; g++) {
      const j = g * p.h + p.h - 1;
      const key = keys.subarray(16 * (p.k + j), 16 * (p.k + j + 1));
      const pad0 = tccrHashMasked(key, undefined, FERRET_RESERVE_TWEAKS + j);
      const pad1 = tccrHashMasked(key, delta, FERRET_RESERVE_TWEAKS + j);
      const c = 32 * p.h * p.t + 16 * g;
      const got = Uint8Array.from({ length: 16 }, (_, x) => {
        const s0 = msg[32 * j + x]! ^ pad0[x]!;
        const s1 = msg[32 * j + 16 + x]! ^ pad1[x]!;
        return s0 ^ s1 ^ msg[c + x]!;
      });
      expect(hex(got)).toBe(hex(delta));
    }
  });
});
