/**
 * SERVER, ring: one output ciphertext made on residues in the residue kernels' memory, never
 * going back through SEAL — the coefficient plan's product sum (in coefficient form:
 * protocols/inputs.ts), plus a fresh public-key encryption of zero (SEAL's, saved once),
 * flooded and with Δ·r added to c0 (noise.ts, ring-bfv.ts), switched down to the planned level
 * (SEAL's modulus switch, bit for bit: kernels/products.ts), serialized as SEAL would (behind
 * its header for that level) or trimmed (trim.ts). The steps and their order are the field's
 * (engine.ts); only where they run differs.
 */
import { floodResidues } from '../noise.js';
import { SLOTS } from '../params.js';
import type { LinearPlan } from '../plans/plan.js';
import type { HeSession } from '../session.js';
import { trimCiphertext } from '../trim.js';
import type { ServerJob } from './engine.js';
import type { ServerInputs } from './inputs.js';

/** The serialized (or trimmed) output ciphertext `o` of a ring layer. */
export function ringOutput(
  session: HeSession,
  plan: LinearPlan,
  inputs: ServerInputs,
  job: ServerJob,
  o: number,
): Uint8Array {
  if (!plan.productTerms)
    throw new RangeError('a ring layer needs a coefficient plan (one that names its products)');
  const k = session.primes.length;
  const { arena } = inputs;
  const sum = inputs.sumResidues(plan.productTerms(session, inputs, job.weights, o));
  const at = inputs.outputResidues;
  const zero = session.takeZero();
  try {
    if (zero.size !== 2 || zero.isNttForm || zero.coeffModulusSize !== k)
      throw new RangeError('an encryption of zero must be size 2 at the top level');
    const bytes = zero.saveArray(session.seal.ComprModeType.none);
    arena.write(at, bytes.subarray(bytes.length - arena.ciphertextBytes));
  } finally {
    zero.delete();
  }
  if (sum !== null) arena.add(at, sum, 2 * k);
  const c0 = arena.words(at, k * SLOTS);
  floodResidues(session, c0, job.noise.floodBits);
  session.ring!.addMessage(arena, at, job.masks[o]!);
  const primes = job.noise.outputPrimes;
  arena.modSwitch(at, k, primes);
  const residues = arena.bytes(at, 16 * primes * SLOTS);
  const [d0, d1] = job.noise.trimBits;
  if (d0 + d1 > 0) return trimCiphertext(residues, session.primes[0]!, d0, d1);
  const header = session.levelHeader(primes);
  const out = new Uint8Array(header.length + residues.length);
  out.set(header);
  out.set(residues, header.length);
  return out;
}
