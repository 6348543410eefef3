// The ideal linear-layer functionality, for testing the secure executor without a linear
// backend: both parties hand their shares (and the server its weights) to a trusted party in
// this process, which computes the product in the clear and deals fresh random shares. It
// never touches the channel, so it costs no bytes.
import { type Party, SERVER } from '@secinfer/mpc-primitives';
import { seededRandom, testSeed } from '@secinfer/transport';
import type { AffineStep, ConvStep, GemmStep } from '../src/fixed/program.js';
import { conv2d } from '../src/kernels/conv.js';
import { matmulAccumulateBT } from '../src/kernels/matmul.js';
import type { ShareDomain, Shares } from '../src/secure/domain.js';
import type { LinearLayers } from '../src/secure/executor.js';

type Deposit = { x: Shares; w?: Float64Array };

/** The trusted party's share masks: seeded, so a failing executor test replays. */
const maskRandom = seededRandom(testSeed(1));

/** One trusted party shared by a server and a client. */
export class IdealLinear {
  private pending: { deposit: Deposit; party: Party; resolve: (s: Shares) => void }[] = [];

  /** The linear layers of `party` in domain `d` (both parties must use the same domain). */
  layers<S extends Shares>(party: Party, d: ShareDomain<S>): LinearLayers<S> {
    const call = (step: ConvStep | GemmStep | AffineStep, x: S, w?: Float64Array) =>
      new Promise<S>((resolve) => {
        const other = this.pending.shift();
        const mine = { deposit: { x, w }, party, resolve: resolve as (s: Shares) => void };
        if (!other) {
          this.pending.push(mine);
          return;
        }
        const [server, client] = party === SERVER ? [mine, other] : [other, mine];
        const plain = d.toSigned(d.add(server.deposit.x as S, client.deposit.x as S));
        const y = product(step, plain, server.deposit.w!);
        const mask = d.fromSigned(Float64Array.from(y, () => Math.floor(maskRandom() * 2 ** 30)));
        server.resolve(mask);
        client.resolve(d.sub(d.fromSigned(y), mask));
      });
    return { conv: call, gemm: call, affine: call };
  }
}

function product(step: ConvStep | GemmStep | AffineStep, x: Float64Array, w: Float64Array) {
  switch (step.kind) {
    case 'conv':
      return conv2d(x, w, undefined, step.geometry);
    case 'gemm': {
      const out = new Float64Array(step.m * step.n);
      matmulAccumulateBT(out, 0, x, 0, w, 0, step.m, step.k, step.n);
      return out;
    }
    case 'affine':
      return x.map((v, i) => v * w[Math.floor(i / step.inner) % step.channels]!);
  }
}
