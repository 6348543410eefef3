/**
 * The project's one seeded pseudo-random generator (mulberry32), for what must be
 * reproducible rather than secret: random test data (every package's tests, a failing case
 * replays from its seed), the model zoo's synthetic weights and the demo's synthetic inputs.
 * It lives in the lowest package so every package can use it without a dependency cycle.
 * NOT cryptographic: protocol randomness comes from @secinfer/ot's OS-seeded AES-CTR.
 */

/** A generator of uniform numbers in [0, 1), multiples of 2^−32, from a 32-bit `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * The seed of a test's random data: the SECINFER_TEST_SEED environment variable when set,
 * else the test's fixed `fallback` — so a run is reproducible and any seed can be tried.
 */
export function testSeed(fallback: number): number {
  const fromEnv = globalThis.process?.env?.SECINFER_TEST_SEED;
  return fromEnv === undefined || fromEnv === '' ? fallback : Number(fromEnv) >>> 0;
}
