// The soak's leak check: a server that leaks per session (a SEAL object never deleted, a
// buffer kept in a map) grows by the same amount every session, so its memory at the end of
// a long run stands well above its memory once warm. "Warm" is after the first sessions: the
// first of each backend loads its kernels, SEAL and V8's code, which is growth that stops.
// A shrink is no leak, so only growth counts against the tolerance.

/** One reading of the server's memory, taken after a session ended. */
export interface MemorySample {
  /** The server's session number (1, 2, ...) the reading followed. */
  readonly session: number;
  readonly rssMiB: number;
  readonly wasmMiB: number;
}

/** One metric's verdict. */
export interface Flatness {
  /** The reading after the warm-up sessions. */
  readonly baseline: number;
  /** The last reading. */
  readonly end: number;
  /** (end − baseline) / baseline. */
  readonly growth: number;
  readonly ok: boolean;
}

/** Both metrics' verdicts, or why there are none. */
export type LeakVerdict =
  | {
      readonly checked: true;
      readonly rss: Flatness;
      readonly wasm: Flatness;
      readonly ok: boolean;
    }
  | { readonly checked: false; readonly reason: string };

export interface LeakCheckOptions {
  /** Sessions that warm the server up; the reading after the last of them is the baseline. */
  readonly warmup?: number;
  /** Largest growth allowed, as a fraction of the baseline. */
  readonly tolerance?: number;
}

function flatness(baseline: number, end: number, tolerance: number): Flatness {
  const growth = baseline > 0 ? (end - baseline) / baseline : end > 0 ? Infinity : 0;
  return { baseline, end, growth, ok: growth <= tolerance };
}

/**
 * Compares the last of `samples` (in the order the server printed them) with the reading
 * after the first `warmup` (default 10); growth over `tolerance` (default 10 %) fails. Fewer
 * than twice `warmup` samples say nothing either way, and are reported unchecked.
 */
export function checkLeak(
  samples: readonly MemorySample[],
  { warmup = 10, tolerance = 0.1 }: LeakCheckOptions = {},
): LeakVerdict {
  if (samples.length < 2 * warmup)
    return {
      checked: false,
      reason: `${samples.length} sessions; the check needs at least ${2 * warmup}`,
    };
  const base = samples[warmup - 1]!;
  const end = samples[samples.length - 1]!;
  const rss = flatness(base.rssMiB, end.rssMiB, tolerance);
  const wasm = flatness(base.wasmMiB, end.wasmMiB, tolerance);
  return { checked: true, rss, wasm, ok: rss.ok && wasm.ok };
}
