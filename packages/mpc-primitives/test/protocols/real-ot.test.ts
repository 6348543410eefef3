/**
 * The protocols end to end on the real OT stack (base OT, IKNP, KK13 over an in-memory
 * channel): bit-for-bit results, and bytes on the wire equal to formulas written here.
 */
import { OtPack } from '@secinfer/ot';
import { type Channel, memoryPair } from '@secinfer/transport';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIELD_PRIME_32, field, fieldRandom } from '../../src/field.js';
import { CLIENT, type Party, SERVER } from '../../src/party.js';
import { dreluRing } from '../../src/protocols/drelu-ring.js';
import { millionaire, millionaireAndCount } from '../../src/protocols/millionaire.js';
import { otPortOf } from '../../src/protocols/ot-pack-port.js';
import type { OtPort } from '../../src/protocols/ot-port.js';
import { reluField } from '../../src/protocols/relu-field.js';
import { reluRing } from '../../src/protocols/relu-ring.js';
import { trunc } from '../../src/protocols/truncation.js';
import { additiveShares, fromLayout, randomValues, toLayout } from './values.js';

/** Bytes of n KK13 1-out-of-2^logN OTs of `bits`-bit messages, both directions (one batch). */
const kkotBytes = (n: number, logN: number, bits: number) =>
  256 * Math.ceil(n / 8) + Math.ceil((n * 2 ** logN * bits) / 8);
/** Bytes of n IKNP correlated OTs of ℓ-bit messages, both directions (one batch). */
const cotBytes = (n: number, ell: number) => 128 * Math.ceil(n / 8) + Math.ceil((n * ell) / 8);
/** Bytes of n IKNP chosen-message OTs of ℓ-bit messages, both directions (one batch). */
const chosenBytes = (n: number, ell: number) =>
  128 * Math.ceil(n / 8) + 2 * Math.ceil((n * ell) / 8);
/** Bytes of the AND openings of a tree level with g gates, both directions. */
const andBytes = (g: number) => 2 * Math.ceil((2 * g) / 8);

/**
 * Bytes of the millionaires' protocol on n client values of ℓ bits, radix 16 (Algorithm 1),
 * with `group` server comparisons per client value sharing each leaf OT.
 */
function millionaireBytes(n: number, ell: number, group = 1): number {
  const q = Math.ceil(ell / 4);
  if (q === 1) return kkotBytes(n, ell, group);
  const comparisons = group * n;
  const ands = millionaireAndCount(ell) * comparisons;
  let bytes = kkotBytes(q * n, 4, 2 * group) + kkotBytes(Math.ceil(ands / 2), 4, 2);
  // Gates per level: each node has one AND, and a second unless its range starts at digit 0.
  for (let step = 1; step < q; step *= 2) {
    let gates = 0;
    for (let lo = 0; lo + step < q; lo += 2 * step) gates += lo === 0 ? 1 : 2;
    bytes += andBytes(gates * comparisons);
  }
  return bytes;
}

let channels: [Channel, Channel];
let ports: [OtPort, OtPort];

beforeAll(async () => {
  channels = memoryPair();
  const packs = await Promise.all([
    OtPack.setup(channels[0], 'server'),
    OtPack.setup(channels[1], 'client'),
  ]);
  ports = [otPortOf(packs[0]), otPortOf(packs[1])];
});

/** Runs f for both parties in a fresh phase and returns the results and both-way bytes. */
async function run<T>(
  label: string,
  f: (party: Party, channel: Channel, ot: OtPort) => Promise<T>,
) {
  const results = await Promise.all(
    ([SERVER, CLIENT] as const).map((p) =>
      channels[p].phase(label, () => f(p, channels[p], ports[p])),
    ),
  );
  const phase = channels[0].phases().get(label)!;
  return { results: results as [T, T], bytes: phase.bytesSent + phase.bytesReceived };
}

describe('on the real OT stack', () => {
  it('millionaire: 1{x > y} bit for bit, and its bytes equal the formula (ℓ = 32, n = 1000)', async () => {
    const [ell, n] = [32, 1000];
    const x = randomValues(n, ell);
    const y = randomValues(n, ell);
    const { results, bytes } = await run('millionaire-32', (p, ch, ot) =>
      millionaire(p, ch, ot, toLayout(p === SERVER ? x : y, ell), ell),
    );
    expect([...results[0].map((v, i) => v ^ results[1][i]!)]).toEqual(
      x.map((v, i) => Number(v > y[i]!)),
    );
    expect(bytes).toBe(millionaireBytes(n, ell));
    expect(bytes / n).toBeCloseTo(491.6, 1);
  });

  it('millionaire at ℓ = 37 and at a single digit (ℓ = 3) match their formulas', async () => {
    for (const [ell, n] of [
      [37, 800],
      [3, 512],
    ] as const) {
      const x = randomValues(n, ell);
      const y = randomValues(n, ell);
      const { results, bytes } = await run(`millionaire-${ell}`, (p, ch, ot) =>
        millionaire(p, ch, ot, toLayout(p === SERVER ? x : y, ell), ell),
      );
      expect([...results[0].map((v, i) => v ^ results[1][i]!)]).toEqual(
        x.map((v, i) => Number(v > y[i]!)),
      );
      expect(bytes).toBe(millionaireBytes(n, ell));
    }
  });

  it('ReLU over Z_2^37: max(x, 0) bit for bit; bytes = DReLU (millionaire on 36 bits) + 2 COTs', async () => {
    const [ell, n] = [37, 1000];
    const x = randomValues(n, ell);
    const [x0, x1] = additiveShares(x, ell);
    const { results, bytes } = await run('relu-37', (p, ch, ot) =>
      reluRing(p, ch, ot, toLayout(p === SERVER ? x0 : x1, ell), ell),
    );
    const a = fromLayout(results[0], ell);
    const b = fromLayout(results[1], ell);
    expect(a.map((v, i) => BigInt.asUintN(ell, v + b[i]!))).toEqual(
      x.map((v) => (BigInt.asIntN(ell, v) >= 0n ? v : 0n)),
    );
    expect(bytes).toBe(millionaireBytes(n, ell - 1) + 2 * cotBytes(n, ell));
  });

  it('ReLU over Z_p (p = 4293918721): exact, bytes = grouped millionaire on 33 bits + 2 field COTs', async () => {
    const f = field(FIELD_PRIME_32);
    const n = 1000;
    const x = fieldRandom(f, n);
    const x0 = fieldRandom(f, n);
    const x1 = x.map((v, i) => (v - x0[i]! + f.n) % f.n);
    const { results, bytes } = await run('relu-field-32', (p, ch, ot) =>
      reluField(p, ch, ot, p === SERVER ? x0 : x1, f),
    );
    expect([...results[0].map((v, i) => (v + results[1][i]!) % f.n)]).toEqual(
      [...x].map((v) => (v <= (f.n - 1) / 2 ? v : 0)),
    );
    expect(bytes).toBe(millionaireBytes(n, 33, 2) + 2 * chosenBytes(n, 32));
    expect(bytes / n).toBeLessThan(884.5); // the C++ reference's figure
  });

  it('faithful truncation over Z_2^32 by 12 is exact on the real stack', async () => {
    const [ell, s, n] = [32, 12, 1000];
    const x = randomValues(n, ell);
    const [x0, x1] = additiveShares(x, ell);
    const { results } = await run('trunc-32', (p, ch, ot) =>
      trunc(p, ch, ot, toLayout(p === SERVER ? x0 : x1, ell), ell, s),
    );
    const a = fromLayout(results[0], ell);
    const b = fromLayout(results[1], ell);
    expect(a.map((v, i) => BigInt.asUintN(ell, v + b[i]!))).toEqual(
      x.map((v) => BigInt.asUintN(ell, BigInt.asIntN(ell, v) >> 12n)),
    );
  });

  it('parties that disagree on ℓ fail with a typed error, not a hang', async () => {
    const [a, b] = memoryPair();
    const packs = await Promise.all([OtPack.setup(a, 'server'), OtPack.setup(b, 'client')]);
    const x = toLayout(randomValues(64, 32), 32);
    const y = toLayout(randomValues(64, 37), 37);
    const outcome = await Promise.allSettled([
      dreluRing(SERVER, a, otPortOf(packs[0]), x, 32),
      dreluRing(CLIENT, b, otPortOf(packs[1]), y, 37),
    ]);
    expect(
      outcome.some(
        (o) => o.status === 'rejected' && (o.reason as Error).name === 'UnexpectedLengthError',
      ),
    ).toBe(true);
    expect(outcome.every((o) => o.status === 'rejected')).toBe(true);
  });
});
