/**
 * SERVER, ring: one output ciphertext made on residues in the residue kernels' memory, never
 * going through SEAL — the coefficient plan's product sum plus a fresh public-key encryption
 * of zero, whose p̂ ⊙ û joins the sum as one more term before the one inverse NTT (rlwe.ts:
 * c = (p0·u + e0, p1·u + e1), SEAL's encrypt_zero_asymmetric at the data level), flooded and
 * with Δ·r added to c0 (noise.ts, ring-bfv.ts), switched down to the planned level (SEAL's
 * modulus switch, bit for bit: kernels/products.ts), serialized as SEAL would (behind its
 * header for that level) or trimmed (trim.ts). The steps and their order are the field's
 * (engine.ts); only where they run differs.
 */
import { floodResidues } from '../noise.js';
import { SLOTS } from '../params.js';
import type { LinearPlan } from '../plans/plan.js';
import { sampleCbd, sampleTernary } from '../rlwe.js';
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
  const [u, error] = inputs.scratch;
  arena.lift(u, sampleTernary(SLOTS));
  arena.forward(u, k);
  arena.toProductForm(u, k);
  const at = inputs.sumResidues(plan.productTerms(session, inputs, job.weights, o), [
    [inputs.publicKey, u],
  ])!;
  for (const polynomial of [0, 1]) {
    arena.lift(error, sampleCbd(SLOTS));
    arena.add(at + 8 * polynomial * k * SLOTS, error, k);
  }
  floodResidues(session, arena.words(at, k * SLOTS), job.noise.floodBits);
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
