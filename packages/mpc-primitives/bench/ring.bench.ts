/**
 * Suite `ring`: the local arithmetic kernels, to justify the representations with numbers.
 * No communication: both parties run the same kernel inside `measure` (n = elements processed).
 * - ring-add/mul-32: Z_2^32 on Uint32Array with int32 ops / Math.imul.
 * - ring-add/mul/mulpub-37 (-wasm, -limbs): ℓ = 37 on (lo, hi) limbs, WebAssembly i64 kernels
 *   (what ringMul uses) against the TypeScript limb reference.
 * - field-add/mul/mulpub-37: Z_n, n = 137352314881, Float64Array with 13-bit-digit Horner.
 * - pack/unpack-32/37/41, pack-bits: the wire format.
 * - ring-random-37, field-random-37: share masks from the CSPRNG (field: rejection sampling).
 * --ell overrides the bit width of the ring/pack ops that are not named after a fixed one.
 */
import { defineSuite, type OpContext, type OpReport } from '@secinfer/bench';
import {
  FIELD_PRIME_37,
  field,
  fieldAdd,
  fieldMul,
  fieldMulPublic,
  fieldRandom,
  packBits,
  randomBits,
  ring,
  ringAdd,
  ringMul,
  ringMulPublic,
  ringPack,
  ringRandom,
  ringUnpack,
  unpackBits,
} from '../src/index.js';
import { wasmKernels } from '../src/kernels/ring-wasm.js';
import { type LimbKernels, limbKernels } from '../src/ring-limbs.js';

const DEFAULT_N = 2 ** 20;
const TARGET_SECONDS = 0.5;

/** Times `kernel` on n elements, repeated to last about TARGET_SECONDS (calibrated first). */
async function timed(
  { args, measure }: OpContext,
  ell: number,
  setup: (n: number) => () => void,
): Promise<OpReport> {
  const n = args.n ?? DEFAULT_N;
  const kernel = setup(n);
  for (let i = 0; i < 3; i++) kernel(); // warm up the JIT
  const start = performance.now();
  kernel();
  const once = (performance.now() - start) / 1000;
  const reps = Math.max(1, Math.ceil(TARGET_SECONDS / Math.max(once, 1e-6)));
  await measure(async () => {
    for (let i = 0; i < reps; i++) kernel();
  });
  return { n: n * reps, ell };
}

function ringOp(
  name: string,
  fixedEll: number | null,
  make: (ell: number, n: number) => () => void,
) {
  return {
    name,
    run: (ctx: OpContext) => {
      const ell = fixedEll ?? ctx.args.ell ?? 37;
      return timed(ctx, ell, (n) => make(ell, n));
    },
  };
}

function limbOp(name: string, kernels: LimbKernels, which: 'add' | 'mul' | 'mulPublic') {
  return ringOp(name, 37, (ell, n) => {
    const r = ring(ell);
    const a = ringRandom(r, n);
    const b = ringRandom(r, n);
    return () => {
      const out = new Uint32Array(a.length); // allocated, as the public API does
      if (which === 'mulPublic') kernels.mulPublic(a, 0x9e3779b9, 0x15, out, r.maskHi);
      else kernels[which](a, b, out, r.maskHi);
    };
  });
}

function fieldOp(name: string, kernel: 'add' | 'mul' | 'mulPublic') {
  return {
    name,
    run: (ctx: OpContext) =>
      timed(ctx, 37, (n) => {
        const f = field(FIELD_PRIME_37);
        const a = fieldRandom(f, n);
        const b = fieldRandom(f, n);
        if (kernel === 'add') return () => fieldAdd(f, a, b);
        if (kernel === 'mul') return () => fieldMul(f, a, b);
        return () => fieldMulPublic(f, a, 98765432109);
      }),
  };
}

function packOp(name: string, fixedEll: number | null, direction: 'pack' | 'unpack') {
  return ringOp(name, fixedEll, (ell, n) => {
    const r = ring(ell);
    const x = ringRandom(r, n);
    const packed = ringPack(r, x);
    return direction === 'pack' ? () => ringPack(r, x) : () => ringUnpack(r, packed, n);
  });
}

export default defineSuite({
  name: 'ring',
  ops: [
    ringOp('ring-add-32', 32, (ell, n) => {
      const r = ring(ell);
      const a = ringRandom(r, n);
      const b = ringRandom(r, n);
      return () => ringAdd(r, a, b);
    }),
    ringOp('ring-mul-32', 32, (ell, n) => {
      const r = ring(ell);
      const a = ringRandom(r, n);
      const b = ringRandom(r, n);
      return () => ringMul(r, a, b);
    }),
    ringOp('ring-mul', null, (ell, n) => {
      const r = ring(ell);
      const a = ringRandom(r, n);
      const b = ringRandom(r, n);
      return () => ringMul(r, a, b);
    }),
    ringOp('ring-mulpub', null, (ell, n) => {
      const r = ring(ell);
      const a = ringRandom(r, n);
      return () => ringMulPublic(r, a, -123456789);
    }),
    limbOp('ring-add-37-wasm', wasmKernels, 'add'),
    limbOp('ring-add-37-limbs', limbKernels, 'add'),
    limbOp('ring-mul-37-wasm', wasmKernels, 'mul'),
    limbOp('ring-mul-37-limbs', limbKernels, 'mul'),
    limbOp('ring-mulpub-37-wasm', wasmKernels, 'mulPublic'),
    limbOp('ring-mulpub-37-limbs', limbKernels, 'mulPublic'),
    fieldOp('field-add-37', 'add'),
    fieldOp('field-mul-37', 'mul'),
    fieldOp('field-mulpub-37', 'mulPublic'),
    packOp('pack-32', 32, 'pack'),
    packOp('pack-37', 37, 'pack'),
    packOp('unpack-37', 37, 'unpack'),
    packOp('pack-41', 41, 'pack'),
    packOp('unpack-41', 41, 'unpack'),
    packOp('pack', null, 'pack'),
    packOp('unpack', null, 'unpack'),
    {
      name: 'pack-bits',
      run: (ctx) =>
        timed(ctx, 1, (n) => {
          const bits = randomBits(n);
          return () => packBits(bits);
        }),
    },
    {
      name: 'unpack-bits',
      run: (ctx) =>
        timed(ctx, 1, (n) => {
          const packed = packBits(randomBits(n));
          return () => unpackBits(packed, n);
        }),
    },
    ringOp('ring-random-37', 37, (ell, n) => () => ringRandom(ring(ell), n)),
    {
      name: 'field-random-37',
      run: (ctx) => timed(ctx, 37, (n) => () => fieldRandom(field(FIELD_PRIME_37), n)),
    },
  ],
});
