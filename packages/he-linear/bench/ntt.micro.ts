/**
 * Microbenchmark: the negacyclic NTT of N = 8192 over one 60-bit prime, forward and inverse,
 * the WebAssembly kernel (asm/ntt.ts) against node-seal's (a ciphertext's transform over its
 * 2·k rows, divided by 2k), the two alternated round by round (the machine's speed drifts),
 * median of rounds. Run:
 *   node --conditions=@secinfer/source --import tsx packages/he-linear/bench/ntt.micro.ts
 */
import { ProductArena } from '../src/kernels/products.js';
import { ringHeParamsFor, SLOTS } from '../src/params.js';
import { type CipherText, loadSeal, withScope } from '../src/seal.js';

const ROUNDS = 200;
const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
/** The median milliseconds of each of two functions, run in turn. */
const timeBoth = (a: () => void, b: () => void) => {
  const samples: [number[], number[]] = [[], []];
  for (let r = 0; r < ROUNDS; r++)
    [a, b].forEach((fn, i) => {
      const start = performance.now();
      fn();
      samples[i]!.push(performance.now() - start);
    });
  return samples.map(median) as [number, number];
};

const seal = await loadSeal();
const params = ringHeParamsFor(32);
const parms = seal.EncryptionParameters(seal.SchemeType.bfv);
parms.setPolyModulusDegree(SLOTS);
parms.setCoeffModulus(seal.CoeffModulus.Create(SLOTS, Int32Array.from(params.coeffModulusBits)));
parms.setPlainModulus(seal.PlainModulus.Batching(SLOTS, 33));
const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
const keygen = seal.KeyGenerator(context);
const encryptor = seal.Encryptor(context, keygen.createPublicKey(), keygen.secretKey());
const evaluator = seal.Evaluator(context);
const data = context.firstContextData;
const primes = Array.from(data.parms.coeffModulus);
const rows = 2 * primes.length;
withScope((scope) => {
  const ct = scope.track(encryptor.encryptSymmetric(scope.track(seal.PlainText())) as CipherText);
  const arena = new ProductArena(primes, SLOTS);
  const at = arena.alloc(arena.ciphertextBytes);
  const bytes = ct.saveArray(seal.ComprModeType.none);
  arena.write(at, bytes.subarray(bytes.length - arena.ciphertextBytes));
  const [sealForward, ours] = timeBoth(
    () => {
      evaluator.cipherTransformToNtt(ct, ct);
      evaluator.cipherTransformFromNtt(ct, ct);
    },
    () => {
      arena.forward(at, rows);
      arena.inverse(at, rows);
    },
  );
  const perRow = (ms: number) => ((1000 * ms) / rows).toFixed(0);
  console.log(
    JSON.stringify({
      n: SLOTS,
      primeBits: params.coeffModulusBits.slice(0, -1),
      microsecondsPerPrimeForwardPlusInverse: { seal: perRow(sealForward), ours: perRow(ours) },
      ratio: (ours / sealForward).toFixed(2),
    }),
  );
});
