// The soak at CI's size: one real `secinfer server` process, 8 MNIST/ot and 2 MNIST/he sessions
// one at a time, then again 4 at once; every answer bit-exact against the cleartext fixed
// point. Ten sessions a phase say nothing about leaks (the 10 % check runs on `pnpm soak`'s
// full length), so the checker is tested here on readings made up to leak or not.
import { describe, expect, it } from 'vitest';
import { checkLeak, type MemorySample } from '../soak/leak.js';
import { runSoak, sessionPlan } from '../soak/soak.js';

/** `n` readings: RSS and heap from `rss(i)` and `wasm(i)` for session i = 1..n. */
function readings(
  n: number,
  rss: (i: number) => number,
  wasm: (i: number) => number = () => 28.6,
): MemorySample[] {
  return Array.from({ length: n }, (_, k) => ({
    session: k + 1,
    rssMiB: rss(k + 1),
    wasmMiB: wasm(k + 1),
  }));
}

describe('pnpm soak', () => {
  it('answers every ot and he session of one server bit for bit as cleartext, one and four at a time', async () => {
    const result = await runSoak({ sessions: 8, heSessions: 2, concurrency: 4 });
    expect(result.phases.map((p) => p.name)).toEqual(['sequential', 'concurrent ×4']);
    for (const phase of result.phases) {
      expect(phase.failures).toEqual([]);
      expect(phase.sessions).toEqual({ ot: 8, he: 2 });
      expect(phase.exact).toBe(10);
      // One reading per session, from the server's --stats line, in MiB.
      expect(phase.samples).toHaveLength(10);
      for (const s of phase.samples) {
        expect(s.rssMiB).toBeGreaterThan(50);
        expect(s.wasmMiB).toBeGreaterThan(1);
      }
      expect(phase.leak.checked).toBe(false);
    }
    const sessions = result.phases.flatMap((p) => p.samples.map((s) => s.session));
    expect(new Set(sessions)).toEqual(new Set(Array.from({ length: 20 }, (_, i) => i + 1)));
    expect(result.ok).toBe(true);
  }, 120_000);

  it('spreads the he sessions among the ot ones, the first session he', () => {
    const plan = sessionPlan(200, 20);
    expect(plan).toHaveLength(220);
    const he = plan.flatMap((b, i) => (b === 'he' ? [i] : []));
    expect(he).toEqual(Array.from({ length: 20 }, (_, k) => 11 * k));
    expect(sessionPlan(8, 2)).toEqual(['he', 'ot', 'ot', 'ot', 'ot', 'he', 'ot', 'ot', 'ot', 'ot']);
    expect(sessionPlan(3, 0)).toEqual(['ot', 'ot', 'ot']);
  });

  describe('the leak check', () => {
    // A warm server's RSS wobbles by a few MiB with the garbage collector.
    const wobble = (i: number) => 200 + 6 * Math.sin(i * 1.7);

    it('passes a flat server, whatever its warm-up grew', () => {
      const warmingUp = (i: number) => (i <= 3 ? 120 + 25 * i : wobble(i));
      const verdict = checkLeak(readings(220, warmingUp));
      expect(verdict.checked).toBe(true);
      if (!verdict.checked) return;
      expect(verdict.ok).toBe(true);
      expect(verdict.rss.baseline).toBe(wobble(10));
      expect(verdict.rss.end).toBe(wobble(220));
      expect(verdict.wasm.growth).toBe(0);
    });

    it('passes a server that shrinks', () => {
      const verdict = checkLeak(readings(40, (i) => 300 - i));
      expect(verdict.checked && verdict.ok).toBe(true);
    });

    it('fails a server whose RSS grows 0.25 MiB a session (+25 % over 200)', () => {
      const verdict = checkLeak(readings(210, (i) => wobble(i) + 0.25 * i));
      expect(verdict.checked).toBe(true);
      if (!verdict.checked) return;
      expect(verdict.ok).toBe(false);
      expect(verdict.rss.ok).toBe(false);
      expect(verdict.wasm.ok).toBe(true);
      expect(verdict.rss.growth).toBeCloseTo(
        (wobble(210) + 52.5 - (wobble(10) + 2.5)) / (wobble(10) + 2.5),
      );
    });

    it('fails a WebAssembly heap that grows a page now and then, RSS flat', () => {
      const verdict = checkLeak(readings(220, wobble, (i) => 28.6 + 0.0625 * Math.floor(i / 2)));
      expect(verdict.checked && !verdict.ok && verdict.rss.ok && !verdict.wasm.ok).toBe(true);
    });

    it('draws the line at the tolerance: +10 % passes, +10.5 % fails', () => {
      const at = (end: number) =>
        checkLeak(
          readings(20, (i) => (i === 20 ? end : 100)),
          { tolerance: 0.1 },
        );
      expect(at(110)).toMatchObject({ checked: true, ok: true });
      expect(at(110.5)).toMatchObject({ checked: true, ok: false });
    });

    it('says nothing on too few sessions', () => {
      expect(checkLeak(readings(19, (i) => 100 * i))).toEqual({
        checked: false,
        reason: '19 sessions; the check needs at least 20',
      });
    });
  });
});
