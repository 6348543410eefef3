/**
 * The one protocol shape of every HE linear layer (Gazelle / CrypTFlow2 SCI_HE):
 *
 *   CLIENT: pack its share x1 into SIMD slot vectors, encrypt (secret-key, seeded), send.
 *   SERVER: receive (the field: meanwhile preparing SEAL's encryptions of zero; the ring:
 *           reading each input into its residues as it arrives); compute W·x1
 *           on ciphertexts with plaintext weights (the layer's plan); add an encryption of zero
 *           and a uniform mask r (together a fresh encryption of r); flood the noise;
 *           mod-switch down; in the ring, trim the low bits (trim.ts); send.
 *   CLIENT: decrypt (checking the noise budget), unpack: its share is W·x1 + r.
 *   SERVER: its share is W·x0 − r, computed in the clear over Z_n (or Z_2^ℓ: session.domain).
 *
 * Reconstruction: (W·x1 + r) + (W·x0 − r) = W·(x0 + x1). One message flight each way (two
 * rounds). Wire: `inputCiphertexts` seeded ciphertexts client → server and
 * `outputCiphertexts` ciphertexts at the planned level back, one message each (their sizes
 * are fixed by the parameters: see the byte-formula test). With `threads` > 1 the server
 * spreads the output ciphertexts over worker threads (pool.ts), each with its own SEAL.
 */
import { CLIENT } from '@secinfer/mpc-primitives';
import { yieldToEventLoop } from '@secinfer/transport/core';
import { NoiseBudgetError } from '../errors.js';
import { flood, type NoisePlan, planNoise } from '../noise.js';
import { SLOTS } from '../params.js';
import { type LayerSpec, planOf } from '../plans/index.js';
import type { Encoding, LinearPlan } from '../plans/plan.js';
import { type PlainText, withScope } from '../seal.js';
import type { HeSession } from '../session.js';
import { untrimCiphertext } from '../trim.js';
import { ServerInputs } from './inputs.js';
import { ringOutput } from './ring-output.js';

/** Runs layer `spec` on this party's share; returns its share of the output. */
export async function runLinear(
  session: HeSession,
  spec: LayerSpec,
  x: Float64Array,
  weights: Float64Array | undefined,
): Promise<Float64Array> {
  const plan = planOf(session, spec);
  const noise = planNoise(
    session,
    plan.productsPerOutput,
    plan.outputCiphertexts,
    plan.plaintextNormBits,
  );
  if (session.party === CLIENT) return runClient(session, plan, x, noise);
  return session.ring && !session.usesWorkers
    ? runRingServer(session, spec, plan, x, weights!, noise)
    : runServer(session, spec, plan, x, weights!, noise);
}

async function runClient(
  session: HeSession,
  plan: LinearPlan,
  x: Float64Array,
  noise: NoisePlan,
): Promise<Float64Array> {
  const { seal, channel } = session;
  const values = new Float64Array(SLOTS);
  for (let i = 0; i < plan.inputCiphertexts; i++) {
    values.fill(0);
    plan.pack(x, i, values);
    const bytes = session.ring
      ? session.encryptRing(values)
      : withScope((scope) => {
          const plain = scope.track(encodeAs(session, plan.encoding, values));
          const serializable = scope.track(session.encryptor.encryptSymmetricSerializable(plain));
          return serializable.saveArray(seal.ComprModeType.none);
        });
    await channel.send(bytes);
  }
  const out = new Float64Array(plan.outputLength);
  let minBudget = Number.POSITIVE_INFINITY;
  for (let o = 0; o < plan.outputCiphertexts; o++) {
    const received = await channel.recv(undefined, `HE layer output ${o}`);
    const [d0, d1] = noise.trimBits;
    const bytes =
      d0 + d1 > 0
        ? untrimCiphertext(received, session.levelHeader(1), session.primes[0]!, d0, d1)
        : received;
    const decoded = session.ring
      ? checkBudget(session.decryptRing(bytes, noise.outputPrimes), o)
      : withScope((scope) => {
          const ct = scope.track(seal.CipherText());
          ct.loadArray(session.context, bytes);
          const budget = session.decryptor!.invariantNoiseBudget(ct);
          const plain = scope.track(seal.PlainText());
          session.decryptor!.decrypt(ct, plain);
          const values =
            plan.encoding === 'slots' ? session.decode(plain) : session.decodeCoefficients(plain);
          return checkBudget({ values, budget }, o);
        });
    minBudget = Math.min(minBudget, decoded.budget);
    plan.extract(decoded.values, o, out);
  }
  session.lastLayer = { ...layerStats(plan, noise), minNoiseBudget: minBudget };
  return out;
}

/** A decrypted output, or NoiseBudgetError when it had no budget left (it would be wrong). */
function checkBudget(
  decrypted: { values: Float64Array; budget: number },
  o: number,
): { values: Float64Array; budget: number } {
  if (decrypted.budget <= 0)
    throw new NoiseBudgetError(
      `output ciphertext ${o} arrived with no noise budget left: its decryption would be wrong`,
    );
  return decrypted;
}

const layerStats = (plan: LinearPlan, noise: NoisePlan) => ({
  inputCiphertexts: plan.inputCiphertexts,
  outputCiphertexts: plan.outputCiphertexts,
  floodBits: noise.floodBits,
  outputPrimes: noise.outputPrimes,
  trimBits: noise.trimBits,
});

async function runServer(
  session: HeSession,
  spec: LayerSpec,
  plan: LinearPlan,
  x: Float64Array,
  weights: Float64Array,
  noise: NoisePlan,
): Promise<Float64Array> {
  const { channel } = session;
  // W·x0 needs nothing from the client: computed while its ciphertexts are on their way.
  const local = plan.local(x, weights);
  const received: Uint8Array[] = [];
  // Workers re-randomise with their own encryptions, and the ring with its own (ring-output.ts,
  // ≈ 0.5 ms each); otherwise the field's SEAL ones (≈ 8 ms) are made here while the client is
  // still encrypting.
  const zeros =
    session.usesWorkers || session.ring ? 0 : Math.min(plan.outputCiphertexts, MAX_PREPARED_ZEROS);
  // Each encryption of zero takes ≈ 8 ms.
  const prepareZero = () => {
    if (session.preparedZeros >= zeros) return false;
    session.prepareZero();
    return true;
  };
  for (let i = 0; i < plan.inputCiphertexts; i++)
    received.push(await receiveWorking(session, `HE layer input ${i}`, prepareZero));
  const { masks, r } = drawMasks(session, plan);
  const job: ServerJob = { spec, weights, inputs: received, masks: r, noise };
  const outputs = session.usesWorkers
    ? await (await session.workerPool()).run(job)
    : serverOutputs(
        session,
        plan,
        job,
        r.map((_, o) => o),
      );
  for (const bytes of outputs) await channel.send(bytes);
  session.lastLayer = { ...layerStats(plan, noise), minNoiseBudget: Number.NaN };
  return session.domain.sub(local, masks);
}

/**
 * The ring on one thread, its work moved to where the other party is busy: each input is read
 * into the residue kernels' memory (checked, seed expanded, NTT) as it arrives, while the
 * client encrypts the next — the server is the quicker, and makes kernel plaintexts ahead
 * while it waits (conv-56x56x64-3x3-s2: ≈ 70 ms of 230 were idle); each output is sent when
 * made, so the client decrypts it while the next is computed; W·x0, which needs nothing from
 * the client, is computed last, while the client decrypts the last outputs.
 */
async function runRingServer(
  session: HeSession,
  spec: LayerSpec,
  plan: LinearPlan,
  x: Float64Array,
  weights: Float64Array,
  noise: NoisePlan,
): Promise<Float64Array> {
  const { channel } = session;
  const received = new Array<Uint8Array>(plan.inputCiphertexts);
  const inputs = new ServerInputs(session, received);
  const { masks, r } = drawMasks(session, plan);
  const job: ServerJob = { spec, weights, inputs: received, masks: r, noise };
  // Kernel plaintexts are made ahead while the client still encrypts (≈ 1 ms each).
  const makeAhead = () => plan.prepareAhead?.(inputs, weights) ?? false;
  try {
    for (let i = 0; i < plan.inputCiphertexts; i++) {
      received[i] = await receiveWorking(session, `HE layer input ${i}`, makeAhead);
      inputs.prepare(i);
    }
    for (let o = 0; o < plan.outputCiphertexts; o++)
      await channel.send(ringOutput(session, plan, inputs, job, o));
  } finally {
    plan.release?.();
    inputs.dispose();
  }
  session.lastLayer = { ...layerStats(plan, noise), minNoiseBudget: Number.NaN };
  return session.domain.sub(plan.local(x, weights), masks);
}

/** The server's masks: r per output ciphertext (N values) and, extracted, its share's. */
function drawMasks(session: HeSession, plan: LinearPlan) {
  const masks = new Float64Array(plan.outputLength);
  const r = Array.from({ length: plan.outputCiphertexts }, (_, o) => {
    const values = session.domain.random(SLOTS);
    plan.extract(values, o, masks);
    return values;
  });
  return { masks, r };
}

/** Encryptions of zero the server keeps ready at most (≈ 0.4 MB of WASM heap each). */
const MAX_PREPARED_ZEROS = 256;

/**
 * The next message, and meanwhile (while nothing has arrived) units of `work` until it
 * returns false: each a few milliseconds, after which the event loop runs again.
 */
async function receiveWorking(
  session: HeSession,
  what: string,
  work: () => boolean,
): Promise<Uint8Array> {
  const message = session.channel.recv(undefined, what);
  let arrived = false;
  message.then(
    () => {
      arrived = true;
    },
    () => {
      arrived = true;
    },
  );
  // A message already buffered resolves within a few microtasks: let them run first.
  await yieldToEventLoop();
  while (!arrived && work()) await yieldToEventLoop();
  return message;
}

/** What the server computes for a layer: enough to hand a share of it to a worker. */
export interface ServerJob {
  spec: LayerSpec;
  weights: Float64Array;
  /** The client's serialized input ciphertexts. */
  inputs: Uint8Array[];
  /** The mask r of each output ciphertext (N values, as the plan encodes them). */
  masks: Float64Array[];
  noise: NoisePlan;
}

/**
 * SERVER: the serialized output ciphertexts `indices` of a layer — evaluate, add Enc_pk(r),
 * flood, mod-switch — on this thread's SEAL instance (the main thread's or a worker's); the
 * ring's on its own residues (ring-output.ts).
 */
export function serverOutputs(
  session: HeSession,
  plan: LinearPlan,
  job: ServerJob,
  indices: readonly number[],
): Uint8Array[] {
  const inputs = new ServerInputs(session, job.inputs);
  try {
    return indices.map((o) =>
      session.ring
        ? ringOutput(session, plan, inputs, job, o)
        : fieldOutput(session, plan, inputs, job, o),
    );
  } finally {
    plan.release?.();
    inputs.dispose();
  }
}

function fieldOutput(
  session: HeSession,
  plan: LinearPlan,
  inputs: ServerInputs,
  job: ServerJob,
  o: number,
): Uint8Array {
  const { seal, evaluator } = session;
  return withScope((scope) => {
    const result = plan.evaluate(session, inputs, job.weights, o, scope);
    const masked = scope.track(session.takeZero());
    evaluator.addPlain(
      masked,
      scope.track(encodeAs(session, plan.encoding, job.masks[o]!)),
      masked,
    );
    if (result) evaluator.add(masked, result, masked);
    const flooded = scope.track(flood(session, masked, job.noise.floodBits));
    for (let p = session.primes.length; p > job.noise.outputPrimes; p--)
      evaluator.cipherModSwitchToNext(flooded, flooded);
    return flooded.saveArray(seal.ComprModeType.none);
  });
}

function encodeAs(session: HeSession, encoding: Encoding, values: Float64Array): PlainText {
  return encoding === 'slots' ? session.encode(values) : session.encodeCoefficients(values);
}
