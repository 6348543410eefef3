/**
 * `pnpm bench ot [--n N]`: base OT, IKNP chosen-message (128-bit), IKNP correlated (32-bit)
 * KK13 1-of-16 with 2-bit messages, and random COT with a global Δ: Ferret's setup, Ferret
 * COTs after setup and IKNP COTs (taken in chunks of 2^20, as a streaming user would), and
 * random OT on Ferret COTs after setup (the hashes that turn a COT into an OT pad, same
 * chunks). The server is the OT sender. Base OTs are set up
 * outside the timed section except in `base-ot`, which times the 128 base OTs themselves.
 * `aes-ecb-node` and `aes-ecb-wasm` time the two AES backends alone (MB/s on the server).
 */
import { type BenchOp, defineSuite } from '@secinfer/bench';
import { ecbEncryptor } from '../src/aes-node-backend.js';
import {
  baseOtReceive,
  baseOtSend,
  type CotReceiver,
  type CotSender,
  cotRandomOtReceive,
  cotRandomOtSend,
  FerretReceiver,
  FerretSender,
  IknpCotReceiver,
  IknpCotSender,
  IknpReceiver,
  IknpSender,
  KkotReceiver,
  KkotSender,
  randomBytes,
} from '../src/index.js';
import { AesEcbWasm } from '../src/kernels.js';

const DEFAULT_N = 1 << 22;

/** COTs per `next` call in the COT ops: a consumer's working set, not one giant array. */
const COT_CHUNK = 1 << 20;

/** Takes n COTs from either side of a source, chunk by chunk. */
async function takeCots(source: CotSender | CotReceiver, n: number): Promise<void> {
  for (let done = 0; done < n; done += COT_CHUNK) await source.next(Math.min(COT_CHUNK, n - done));
}

/** AES blocks per `aes-ecb-*` op: 16 MiB, in 64 KiB calls as the hashes make them. */
const AES_BLOCKS = 1 << 20;
const AES_CALL_BYTES = 1 << 16;

/**
 * Fixed-key AES-128-ECB throughput of one backend, on the server alone (the client only
 * meets the barrier): the `MBps` figure is the server's bytes over its own time.
 */
function aesEcbOp(
  name: string,
  encryptor: (key: Uint8Array) => (b: Uint8Array) => Uint8Array,
): BenchOp {
  return {
    name,
    async run({ role, args, measure }) {
      const n = args.n ?? AES_BLOCKS;
      const blocks = randomBytes(16 * n);
      const encrypt = encryptor(randomBytes(16));
      let seconds = 0;
      await measure(async () => {
        if (role !== 'server') return;
        const start = performance.now();
        for (let off = 0; off < blocks.byteLength; off += AES_CALL_BYTES)
          encrypt(blocks.subarray(off, off + AES_CALL_BYTES));
        seconds = (performance.now() - start) / 1000;
      });
      return {
        n,
        ell: 128,
        extra: role === 'server' ? { MBps: (16 * n) / 1e6 / seconds } : undefined,
      };
    },
  };
}

function choiceBits(n: number, below: number): Uint8Array {
  const out = randomBytes(n);
  for (let i = 0; i < n; i++) out[i] = out[i]! % below;
  return out;
}

export default defineSuite({
  name: 'ot',
  ops: [
    aesEcbOp('aes-ecb-node', ecbEncryptor),
    aesEcbOp('aes-ecb-wasm', (key) => {
      const aes = new AesEcbWasm(key);
      return (blocks) => aes.encrypt(blocks);
    }),
    {
      name: 'base-ot',
      async run({ role, channel, measure }) {
        const choices = choiceBits(128, 2);
        await measure(async () => {
          if (role === 'server') await baseOtSend(channel, 128);
          else await baseOtReceive(channel, choices);
        });
        return { n: 128 };
      },
    },
    {
      name: 'iknp-chosen-128',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_N;
        if (role === 'server') {
          const sender = await IknpSender.setup(channel);
          const m0 = randomBytes(16 * n);
          const m1 = randomBytes(16 * n);
          await measure(() => sender.chosenOtBytes(m0, m1, 16));
        } else {
          const receiver = await IknpReceiver.setup(channel);
          const r = choiceBits(n, 2);
          await measure(() => receiver.chosenOtBytes(r, 16));
        }
        return { n, ell: 128 };
      },
    },
    {
      name: 'iknp-cot-32',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_N;
        if (role === 'server') {
          const sender = await IknpSender.setup(channel);
          const deltas = new Uint32Array(randomBytes(4 * n).buffer);
          await measure(() => sender.correlatedOt(deltas, 32));
        } else {
          const receiver = await IknpReceiver.setup(channel);
          const r = choiceBits(n, 2);
          await measure(() => receiver.correlatedOt(r, 32));
        }
        return { n, ell: 32 };
      },
    },
    {
      name: 'ferret-setup',
      async run({ role, channel, measure }) {
        await measure(async () => {
          if (role === 'server') await FerretSender.setup(channel);
          else await FerretReceiver.setup(channel);
        });
        return { n: 1 };
      },
    },
    {
      name: 'ferret-cot',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_N;
        const source =
          role === 'server'
            ? await FerretSender.setup(channel)
            : await FerretReceiver.setup(channel);
        await measure(() => takeCots(source, n));
        return { n, ell: 128 };
      },
    },
    {
      name: 'ferret-random-ot',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_N;
        let take: (count: number) => Promise<unknown>;
        if (role === 'server') {
          const sender = await FerretSender.setup(channel);
          take = (count) => cotRandomOtSend(sender, count);
        } else {
          const receiver = await FerretReceiver.setup(channel);
          take = (count) => cotRandomOtReceive(receiver, count);
        }
        await measure(async () => {
          for (let done = 0; done < n; done += COT_CHUNK) await take(Math.min(COT_CHUNK, n - done));
        });
        return { n, ell: 128 };
      },
    },
    {
      name: 'iknp-cot-128',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_N;
        const source: CotSender | CotReceiver =
          role === 'server'
            ? new IknpCotSender(await IknpSender.setup(channel))
            : new IknpCotReceiver(await IknpReceiver.setup(channel));
        await measure(() => takeCots(source, n));
        return { n, ell: 128 };
      },
    },
    {
      name: 'kkot-16-2',
      async run({ role, channel, args, measure }) {
        const n = args.n ?? DEFAULT_N;
        if (role === 'server') {
          const sender = await KkotSender.setup(channel);
          const msgs = choiceBits(16 * n, 4);
          await measure(() => sender.send(msgs, 4, 2));
        } else {
          const receiver = await KkotReceiver.setup(channel);
          const r = choiceBits(n, 16);
          await measure(() => receiver.receive(r, 4, 2));
        }
        return { n, ell: 2 };
      },
    },
  ],
});
