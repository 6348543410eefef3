/**
 * The reusable HE session of one connection (CrypTFlow2's SCI_HE key setup, `generate_new_keys`
 * in SCI's utils-HE.cpp): the CLIENT generates the BFV secret key and sends the public key and
 * the Galois keys; the SERVER receives them. Both first exchange and check their parameters.
 *
 * Differences from the reference, and why: the keys go out as SEAL "serializable" objects
 * (the uniformly random halves replaced by a PRG seed: about half the bytes), and the Galois
 * keys cover only the rotations the layers use — row rotations by powers of two 1..2048 (every
 * layer rotates by one power of two at a time, see protocols/) and the row swap — 13 keys.
 * The ring (t = 2^ℓ, Cheetah) needs neither: coefficient encoding has no slots to batch and
 * its layers rotate nothing, so only the public key is sent.
 * The setup runs in channel phase 'he-keygen' and reports its own time and bytes.
 */
import { CLIENT, type Party, SERVER } from '@secinfer/mpc-primitives';
import type { Channel } from '@secinfer/transport/core';
// The class by the package's `#worker-pool` (threads on Node, none in a browser); its type by
// path, so the published declarations never point into the `imports` map.
import { WorkerPool as WorkerThreads } from '#worker-pool';
import { coefficientHeader, parseCoefficients, serializeCoefficients } from './coefficients.js';
import { type PlainDomain, plainDomain } from './domain.js';
import { HeShapeError } from './errors.js';
import {
  checkParams,
  checkPeerParams,
  encodeParams,
  type HeParams,
  isRingParams,
  ROW,
  SLOTS,
} from './params.js';
import type { WorkerInit, WorkerPool } from './pool.js';
import { RingCodec, standInPlainBits } from './ring-bfv.js';
import {
  type BatchEncoder,
  type CipherText,
  type Decryptor,
  type Encryptor,
  type Evaluator,
  type GaloisKeys,
  loadSeal,
  type PlainText,
  type Seal,
  type SealContext,
  withScope,
} from './seal.js';

/** Time and bytes of the key setup. */
export interface SetupStats {
  seconds: number;
  bytesSent: number;
  bytesReceived: number;
}

/** What the last layer did, for tests and benchmarks. */
export interface LayerStats {
  inputCiphertexts: number;
  outputCiphertexts: number;
  /** Bits of the uniform noise the server flooded each output with. */
  floodBits: number;
  /** Data primes left in the returned ciphertexts. */
  outputPrimes: number;
  /** Low bits of c0 and c1 trimmed off the returned ciphertexts ([0, 0]: none). */
  trimBits: readonly [number, number];
  /** CLIENT only: the smallest invariant noise budget (bits) of a received ciphertext. */
  minNoiseBudget: number;
}

/** Galois steps: row rotations by 2^i (i < 12) and 0, SEAL's code for the row swap. */
const GALOIS_STEPS = Int32Array.from([0, ...Array.from({ length: 12 }, (_, i) => 2 ** i)]);

/** One connection's BFV keys and evaluators. Call `dispose()` when done. */
export class HeSession {
  /** Time and bytes of `setup`. */
  readonly setupStats: SetupStats;
  /** Statistics of the last layer run on this session. */
  lastLayer: LayerStats | undefined;
  /** The plaintext space of the shares: the field Z_n or the ring Z_2^ℓ (t = plainModulus). */
  readonly domain: PlainDomain;
  /** log2 of the data part of the coefficient modulus, per prime (top level first). */
  readonly primeBits: readonly number[];
  /** The data primes (top level first), for noise flooding. */
  readonly primes: readonly bigint[];
  /** The top level's parms id, for plaintexts in NTT form. */
  readonly firstParmsId: SealContext['firstParmsId'];

  /** The ring's message scaling and decryption (ring-bfv.ts); undefined in the field. */
  readonly ring: RingCodec | undefined;
  /**
   * SERVER of a ring session: the public key's NTT residues at the data primes (2·k·N u64,
   * p0's then p1's, prime-major), for its own encryptions of zero (protocols/ring-output.ts).
   */
  publicKeyResidues: BigUint64Array | undefined;
  /** CLIENT of a ring session: the secret key's NTT residues (data primes first). */
  private secretKeyResidues: BigUint64Array | undefined;
  /** The SEAL context's plaintext modulus: t, or the ring's stand-in prime t' > 2^ℓ. */
  private readonly sealPlainModulus: number;

  /** Ciphertext headers per level (levelHeader). */
  private readonly headers = new Map<number, Uint8Array>();

  /** The serialization header of a plaintext of N coefficients (see coefficients.ts). */
  private readonly plainHeader: Uint8Array;

  /** SERVER: fresh public-key encryptions of zero made while waiting (see prepareZero). */
  private readonly zeros: CipherText[] = [];

  /** SERVER with threads > 1: how to start the worker threads that share its layers. */
  private workerSetup: { threads: number; init: WorkerInit } | undefined;
  /** The worker threads, once the first layer has asked for them. */
  private startedPool: Promise<WorkerPool> | undefined;

  private constructor(
    readonly party: Party,
    private readonly connection: Channel | undefined,
    readonly params: HeParams,
    readonly seal: Seal,
    readonly context: SealContext,
    /** The field's SIMD encoder (the ring has no batching). */
    private readonly batchEncoder: BatchEncoder | undefined,
    readonly evaluator: Evaluator,
    /** CLIENT: symmetric (secret-key) encryptor; SERVER: public-key encryptor. */
    readonly encryptor: Encryptor,
    /** CLIENT only. */
    readonly decryptor: Decryptor | undefined,
    /** SERVER only. */
    readonly galoisKeys: GaloisKeys | undefined,
    setupStats: SetupStats,
  ) {
    this.setupStats = setupStats;
    this.domain = plainDomain(params);
    const data = context.firstContextData;
    const parms = data.parms;
    this.primes = Array.from(parms.coeffModulus);
    this.primeBits = this.primes.map((q) => Math.log2(Number(q)));
    const plainModulus = parms.plainModulus;
    this.sealPlainModulus = Number(plainModulus.value);
    plainModulus.delete();
    parms.delete();
    data.delete();
    this.firstParmsId = context.firstParmsId;
    this.ring = isRingParams(params)
      ? new RingCodec(this.primes, Math.log2(params.plainModulus))
      : undefined;
    this.plainHeader = withScope((scope) => {
      const zero = scope.track(seal.PlainText());
      zero.resize(SLOTS);
      return coefficientHeader(zero.saveArray(seal.ComprModeType.none), SLOTS);
    });
  }

  /**
   * Runs the key setup. Both parties call it with the same params; the CLIENT makes the keys.
   * Rejects with HeParameterMismatchError when the peer's N, plaintext modulus or coefficient
   * modulus differ (the field named), before any key is sent.
   */
  static async setup(
    party: Party,
    channel: Channel,
    params: HeParams,
    options: { threads?: number } = {},
  ): Promise<HeSession> {
    checkParams(params);
    const threads = options.threads ?? 1;
    if (!Number.isSafeInteger(threads) || threads < 1)
      throw new HeShapeError(`threads must be a positive integer, got ${threads}`);
    const seal = await loadSeal();
    const before = channel.stats;
    const start = performance.now();
    const session = await channel.phase('he-keygen', async () => {
      await channel.send(encodeParams(params));
      checkPeerParams(params, await channel.recv(undefined, 'HE parameters'));
      const context = makeContext(seal, params);
      const ring = isRingParams(params);
      const encoder = ring ? undefined : seal.BatchEncoder(context);
      const evaluator = seal.Evaluator(context);
      if (party === CLIENT) {
        const keygen = seal.KeyGenerator(context);
        const secretKey = keygen.secretKey();
        const publicKey = keygen.createPublicKey();
        for (const serializable of [
          keygen.createPublicKeySerializable(),
          ...(ring ? [] : [keygen.createGaloisKeysSerializable(GALOIS_STEPS)]),
        ]) {
          const bytes = serializable.saveArray(seal.ComprModeType.none);
          serializable.delete();
          await channel.send(bytes);
        }
        const encryptor = seal.Encryptor(context, publicKey, secretKey);
        const decryptor = seal.Decryptor(context, secretKey);
        const keyBytes = ring ? secretKey.saveArray(seal.ComprModeType.none) : undefined;
        publicKey.delete();
        secretKey.delete();
        keygen.delete();
        return (stats: SetupStats) =>
          HeSession.withSecretKey(
            keyBytes,
            new HeSession(
              party,
              channel,
              params,
              seal,
              context,
              encoder,
              evaluator,
              encryptor,
              decryptor,
              undefined,
              stats,
            ),
          );
      }
      const init: WorkerInit = {
        params,
        publicKey: await channel.recv(undefined, 'HE public key'),
        galoisKeys: ring ? undefined : await channel.recv(undefined, 'HE Galois keys'),
      };
      const publicKey = seal.PublicKey();
      publicKey.loadArray(context, init.publicKey);
      const galoisKeys = loadGaloisKeys(seal, context, init.galoisKeys);
      const encryptor = seal.Encryptor(context, publicKey);
      const expanded = ring ? publicKey.saveArray(seal.ComprModeType.none) : undefined;
      publicKey.delete();
      // Started by the first layer (workerPool): a session that runs none costs no threads.
      const workers = threads > 1 ? { threads, init } : undefined;
      return (stats: SetupStats) =>
        HeSession.withWorkers(
          workers,
          HeSession.withPublicKey(
            expanded,
            new HeSession(
              party,
              channel,
              params,
              seal,
              context,
              encoder,
              evaluator,
              encryptor,
              undefined,
              galoisKeys,
              stats,
            ),
          ),
        );
    });
    const after = channel.stats;
    return session({
      seconds: (performance.now() - start) / 1000,
      bytesSent: after.bytesSent - before.bytesSent,
      bytesReceived: after.bytesReceived - before.bytesReceived,
    });
  }

  /** The session's channel (worker-thread sessions have none). */
  get channel(): Channel {
    if (!this.connection)
      throw new RangeError('this HE session belongs to a worker thread and has no channel');
    return this.connection;
  }

  /** A SERVER session inside a worker thread, from the keys the main thread received. */
  static async forWorker(init: WorkerInit): Promise<HeSession> {
    const seal = await loadSeal();
    const context = makeContext(seal, init.params);
    const publicKey = seal.PublicKey();
    publicKey.loadArray(context, init.publicKey);
    const galoisKeys = loadGaloisKeys(seal, context, init.galoisKeys);
    const encryptor = seal.Encryptor(context, publicKey);
    const expanded = isRingParams(init.params)
      ? publicKey.saveArray(seal.ComprModeType.none)
      : undefined;
    publicKey.delete();
    const stats = { seconds: 0, bytesSent: 0, bytesReceived: 0 };
    return HeSession.withPublicKey(
      expanded,
      new HeSession(
        SERVER,
        undefined,
        init.params,
        seal,
        context,
        isRingParams(init.params) ? undefined : seal.BatchEncoder(context),
        seal.Evaluator(context),
        encryptor,
        undefined,
        galoisKeys,
        stats,
      ),
    );
  }

  private static withSecretKey(keyBytes: Uint8Array | undefined, session: HeSession): HeSession {
    if (keyBytes) {
      const words = session.primes.length * SLOTS;
      const all = new BigUint64Array(keyBytes.slice(keyBytes.length - 8 * (words + SLOTS)).buffer);
      session.secretKeyResidues = all.subarray(0, words);
    }
    return session;
  }

  /**
   * A ring SERVER's public key residues, from SEAL's uncompressed serialization of the loaded
   * (seed-expanded) pk = (p0, p1): a size-2 ciphertext at the key level (k data primes and the special one) in NTT form, its residues
   * ending the bytes polynomial-major, then prime; the special prime's rows are dropped (the
   * encryptions of zero are made at the data level: noise.ts counts the larger noise).
   */
  private static withPublicKey(bytes: Uint8Array | undefined, session: HeSession): HeSession {
    if (bytes) {
      const k = session.primes.length;
      const rows = new BigUint64Array(bytes.slice(bytes.length - 8 * 2 * (k + 1) * SLOTS).buffer);
      const residues = new BigUint64Array(2 * k * SLOTS);
      for (const p of [0, 1])
        residues.set(rows.subarray(p * (k + 1) * SLOTS, (p * (k + 1) + k) * SLOTS), p * k * SLOTS);
      session.publicKeyResidues = residues;
    }
    return session;
  }

  private static withWorkers(
    workers: { threads: number; init: WorkerInit } | undefined,
    session: HeSession,
  ): HeSession {
    session.workerSetup = workers;
    return session;
  }

  /** SERVER with threads > 1: its layers run on worker threads (see workerPool). */
  get usesWorkers(): boolean {
    return this.workerSetup !== undefined;
  }

  /** Whether the worker threads have been started (by a first layer). */
  get workersStarted(): boolean {
    return this.startedPool !== undefined;
  }

  /** The worker threads, started on the first call (each loads SEAL and the keys). */
  workerPool(): Promise<WorkerPool> {
    const setup = this.workerSetup;
    if (!setup) throw new RangeError('this HE session runs on one thread: it has no worker pool');
    this.startedPool ??= WorkerThreads.start(setup.threads, setup.init);
    return this.startedPool;
  }

  /** Frees the session's WASM objects (and stops its worker threads, once they have started). */
  dispose(): void {
    this.startedPool?.then(
      (pool) => pool.terminate(),
      () => undefined,
    );
    for (const zero of this.zeros.splice(0)) zero.delete();
    for (const object of [
      this.firstParmsId,
      this.galoisKeys,
      this.decryptor,
      this.encryptor,
      this.evaluator,
      this.batchEncoder,
      this.context,
    ])
      object?.delete();
  }

  /**
   * Encodes N field elements (canonical, in [0, n)) into a batched plaintext. node-seal takes
   * 64-bit slots only as a BigUint64Array, so for ℓ = 37 this converts N values through
   * BigInt (≈ 0.25 ms per plaintext, measured; ℓ = 32 goes through a Uint32Array).
   */
  encode(slots: Float64Array, into?: PlainText): PlainText {
    const encoder = this.encoder;
    const plain = into ?? this.seal.PlainText();
    if (this.params.plainModulus < 2 ** 32) encoder.encode(Uint32Array.from(slots), plain);
    else {
      const wide = new BigUint64Array(slots.length);
      for (let i = 0; i < slots.length; i++) wide[i] = BigInt(slots[i]!);
      encoder.encode(wide, plain);
    }
    return plain;
  }

  /**
   * A plaintext whose polynomial coefficients are N field elements (canonical, in [0, n)),
   * for the coefficient-encoded layers. node-seal exposes no coefficient setter, so the
   * plaintext is loaded from its serialization (coefficients.ts); SEAL checks each < n.
   */
  encodeCoefficients(values: Float64Array, into?: PlainText): PlainText {
    const plain = into ?? this.seal.PlainText();
    plain.loadArray(
      this.context,
      serializeCoefficients(this.plainHeader, this.liftWeights(values)),
    );
    return plain;
  }

  /**
   * In the ring, SEAL's plaintexts are mod the stand-in prime t' (ring-bfv.ts): a value v of
   * Z_2^ℓ, centred into [−2^(ℓ−1), 2^(ℓ−1)), becomes v mod t', which SEAL lifts back to the
   * same signed integer. The field's values are already mod t.
   */
  private liftWeights(values: Float64Array): Float64Array {
    if (!this.ring) return values;
    const t = this.params.plainModulus;
    const shift = this.sealPlainModulus - t;
    return values.map((v) => (v >= t / 2 ? v + shift : v));
  }

  /** CLIENT of a ring session: a seeded symmetric encryption of m (ring-bfv.ts). */
  encryptRing(m: Float64Array): Uint8Array {
    return this.ring!.encrypt(m, this.secretKeyResidues!);
  }

  /**
   * CLIENT of a ring session: the message and noise budget of a serialized ciphertext at
   * `primes` data primes; a RangeError when its size is not that level's.
   */
  decryptRing(bytes: Uint8Array, primes: number): { values: Float64Array; budget: number } {
    const size = this.levelHeader(primes).length + 16 * primes * SLOTS;
    if (bytes.length !== size)
      throw new RangeError(
        `a ciphertext at ${primes} primes has ${size} bytes, got ${bytes.length}`,
      );
    return this.ring!.decrypt(bytes, primes, this.secretKeyResidues!);
  }

  /** The N polynomial coefficients of a (decrypted) plaintext, as field elements. */
  decodeCoefficients(plain: PlainText): Float64Array {
    return parseCoefficients(plain.saveArray(this.seal.ComprModeType.none), SLOTS);
  }

  /** Decodes a batched plaintext into N field elements. */
  decode(plain: PlainText): Float64Array {
    const encoder = this.encoder;
    if (this.params.plainModulus < 2 ** 32) return Float64Array.from(encoder.decode(plain, false));
    const wide = encoder.decodeBigInt(plain, false);
    const out = new Float64Array(wide.length);
    for (let i = 0; i < wide.length; i++) out[i] = Number(wide[i]!);
    return out;
  }

  /** The SIMD encoder; a ring session has none (its layers encode coefficients only). */
  get encoder(): BatchEncoder {
    if (!this.batchEncoder)
      throw new HeShapeError(
        `slot encoding needs a batching prime; this session's plaintext modulus is 2^${Math.log2(this.params.plainModulus)}`,
      );
    return this.batchEncoder;
  }

  /** The serialization header of a ciphertext at `primes` data primes (for trim.ts). */
  levelHeader(primes: number): Uint8Array {
    let header = this.headers.get(primes);
    if (!header) {
      header = withScope((scope) => {
        const zero = scope.track(this.seal.PlainText());
        const ct = scope.track(this.encryptor.encrypt(zero) as CipherText);
        for (let p = this.primes.length; p > primes; p--)
          this.evaluator.cipherModSwitchToNext(ct, ct);
        const bytes = ct.saveArray(this.seal.ComprModeType.none);
        return bytes.slice(0, bytes.length - 16 * primes * SLOTS);
      });
      this.headers.set(primes, header);
    }
    return header;
  }

  /** SERVER: encryptions of zero ready for use. */
  get preparedZeros(): number {
    return this.zeros.length;
  }

  /**
   * SERVER: makes one public-key encryption of zero ahead of use — the costly half of
   * re-randomising an output (≈ 8 ms), done while the server would otherwise wait for the
   * client. Each is used once, so it is as fresh as one made on the spot.
   */
  prepareZero(): void {
    this.zeros.push(this.encryptZero());
  }

  /** SERVER: a fresh encryption of zero, prepared earlier if one is ready (the caller owns it). */
  takeZero(): CipherText {
    return this.zeros.pop() ?? this.encryptZero();
  }

  private encryptZero(): CipherText {
    return withScope((scope) => {
      const zero = scope.track(this.seal.PlainText());
      return this.encryptor.encrypt(zero) as CipherText;
    });
  }

  /** Rotates each row left by `steps` (0 < steps < N/2), one power-of-two key at a time. */
  rotateRows(ct: CipherText, steps: number): void {
    const keys = this.galoisKeys!;
    for (let bit = 1; bit < ROW; bit *= 2)
      if ((steps & bit) !== 0) this.evaluator.rotateRows(ct, bit, keys, ct);
  }

  /** Swaps the two rows. */
  swapRows(ct: CipherText): void {
    this.evaluator.rotateColumns(ct, this.galoisKeys!, ct);
  }
}

function loadGaloisKeys(
  seal: Seal,
  context: SealContext,
  bytes: Uint8Array | undefined,
): GaloisKeys | undefined {
  if (!bytes) return undefined;
  const keys = seal.GaloisKeys();
  keys.loadArray(context, bytes);
  return keys;
}

function makeContext(seal: Seal, params: HeParams): SealContext {
  return withScope((scope) => {
    const parms = scope.track(seal.EncryptionParameters(seal.SchemeType.bfv));
    parms.setPolyModulusDegree(params.polyModulusDegree);
    parms.setCoeffModulus(
      scope.track(
        seal.CoeffModulus.Create(
          params.polyModulusDegree,
          Int32Array.from(params.coeffModulusBits),
        ),
      ),
    );
    // The ring's SEAL context runs on a stand-in batching prime above 2^ℓ (see ring-bfv.ts).
    parms.setPlainModulus(
      scope.track(
        isRingParams(params)
          ? seal.PlainModulus.Batching(
              params.polyModulusDegree,
              standInPlainBits(Math.log2(params.plainModulus), params.coeffModulusBits),
            )
          : seal.Modulus(BigInt(params.plainModulus)),
      ),
    );
    const context = seal.Context(parms, true, seal.SecurityLevel.tc128);
    if (!context.parametersSet()) {
      context.delete();
      throw new RangeError('SEAL rejected the HE parameters (not secure or not batching-friendly)');
    }
    return context;
  });
}
