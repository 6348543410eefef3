import { memoryPair } from '@secinfer/transport';
import { describe, expect, it } from 'vitest';
import { idealContextPair } from '../src/ideal.js';
import {
  boolReconstruct,
  boolRevealTo,
  boolShare,
  CLIENT,
  FIELD_PRIME_32,
  FIELD_PRIME_37,
  field,
  fieldPackedBytes,
  fieldRandom,
  fieldReconstruct,
  fieldRevealTo,
  fieldShare,
  packedBytes,
  ring,
  ringRandom,
  ringReconstruct,
  ringRevealTo,
  ringShare,
  SERVER,
} from '../src/index.js';
import { ELLS } from './oracle.js';

describe.each(ELLS)('additive shares over Z_2^%i', (ell) => {
  const r = ring(ell);
  it('reconstruct(share(x)) = x, and the shares are canonical and not x', () => {
    const x = ringRandom(r, 1000);
    const [x0, x1] = ringShare(r, x);
    expect(ringReconstruct(r, x0, x1)).toEqual(x);
    if (ell >= 8) expect(x1).not.toEqual(x);
    if (r.words === 2) for (let i = 1; i < x0.length; i += 2) expect(x0[i]! & ~r.maskHi).toBe(0);
    else for (const w of x0) expect(w & ~r.maskLo).toBe(0);
  });
  it('reveals to one party with one message of ⌈nℓ/8⌉ bytes', async () => {
    const n = 333;
    const x = ringRandom(r, n);
    const [x0, x1] = ringShare(r, x);
    const [a, b] = memoryPair();
    const [serverCtx, clientCtx] = idealContextPair([a, b]);
    const [server, client] = await Promise.all([
      ringRevealTo(serverCtx, r, x0, CLIENT),
      ringRevealTo(clientCtx, r, x1, CLIENT),
    ]);
    expect(server).toBeNull();
    expect(client).toEqual(x);
    expect(a.stats.bytesSent).toBe(packedBytes(n, ell));
    expect(b.stats.bytesSent).toBe(0);
  });
});

describe('field and boolean shares', () => {
  it('reconstructs additive shares over Z_n', () => {
    const f = field(FIELD_PRIME_37);
    const x = fieldRandom(f, 1000);
    const [x0, x1] = fieldShare(f, x);
    expect(fieldReconstruct(f, x0, x1)).toEqual(x);
    for (const v of x0) expect(v >= 0 && v < f.n).toBe(true);
  });
  it.each([FIELD_PRIME_32, FIELD_PRIME_37])(
    'reveals Z_%i shares at bits(n) bits each',
    async (n) => {
      const f = field(n);
      const x = fieldRandom(f, 777);
      x.set([0, 1, n - 1, Math.floor(n / 2), Math.ceil(n / 2)]);
      const [x0, x1] = fieldShare(f, x);
      const [a, b] = memoryPair();
      const [serverCtx, clientCtx] = idealContextPair([a, b]);
      const [server, client] = await Promise.all([
        fieldRevealTo(serverCtx, f, x0, CLIENT),
        fieldRevealTo(clientCtx, f, x1, CLIENT),
      ]);
      expect(server).toBeNull();
      expect(client).toEqual(x);
      expect(a.stats.bytesSent).toBe(fieldPackedBytes(f, 777));
      expect(fieldPackedBytes(f, 8)).toBe(n === FIELD_PRIME_32 ? 32 : 37);
    },
  );
  it('reconstructs XOR shares and reveals bits at one bit each', async () => {
    const bits = Uint8Array.from({ length: 1001 }, (_, i) => ((i * 7) % 3) & 1);
    const [b0, b1] = boolShare(bits);
    expect(boolReconstruct(b0, b1)).toEqual(bits);
    const [a, b] = memoryPair();
    const [serverCtx, clientCtx] = idealContextPair([a, b]);
    const [server, client] = await Promise.all([
      boolRevealTo(serverCtx, b0, SERVER),
      boolRevealTo(clientCtx, b1, SERVER),
    ]);
    expect(server).toEqual(bits);
    expect(client).toBeNull();
    expect(b.stats.bytesSent).toBe(Math.ceil(1001 / 8));
  });
});
