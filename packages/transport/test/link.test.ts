import { describe, expect, it } from 'vitest';
import { isLinkPreset, LINK_PRESETS, memoryPair, simulateLink } from '../src/index.js';

// Lower bounds are what the simulator guarantees; upper bounds are loose sanity checks only.
describe('link simulator', () => {
  it('adds the echo latency to a ping-pong', async () => {
    const [a, b] = memoryPair();
    const la = simulateLink(a, { bandwidthBytesPerSecond: 1e9, echoLatencyMs: 40 });
    const lb = simulateLink(b, { bandwidthBytesPerSecond: 1e9, echoLatencyMs: 40 });
    const started = performance.now();
    for (let i = 0; i < 3; i++) {
      await la.send(new Uint8Array(1));
      await lb.recv(1);
      await lb.send(new Uint8Array(1));
      await la.recv(1);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(3 * 40 - 1);
    expect(elapsed).toBeLessThan(3 * 40 * 4);
  });

  it('limits bandwidth, per direction, keeping order and counting as the inner channel', async () => {
    const [a, b] = memoryPair();
    const link = { bandwidthBytesPerSecond: 20e6, echoLatencyMs: 0 };
    const la = simulateLink(a, link);
    const lb = simulateLink(b, link);
    const started = performance.now();
    const messages = Array.from({ length: 8 }, (_, i) => new Uint8Array(250_000).fill(i));
    const sending = Promise.all(messages.map((m) => la.send(m)));
    for (let i = 0; i < 8; i++) expect((await lb.recv(250_000))[0]).toBe(i);
    await sending;
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual((2e6 / 20e6) * 1000 - 1); // 2 MB at 20 MB/s = 100 ms
    expect(elapsed).toBeLessThan(1000);
    expect(la.stats.bytesSent).toBe(2e6);
    expect(lb.stats.bytesReceived).toBe(2e6);
  });

  it("has Cheetah's presets as lan/wan and CrypTFlow2's under their own names", () => {
    expect(LINK_PRESETS.lan).toEqual({ bandwidthBytesPerSecond: 384e6, echoLatencyMs: 0.3 });
    expect(LINK_PRESETS.wan).toEqual({ bandwidthBytesPerSecond: 44e6, echoLatencyMs: 40 });
    expect(LINK_PRESETS['cryptflow2-lan']).toEqual({
      bandwidthBytesPerSecond: 377e6,
      echoLatencyMs: 0.3,
    });
    expect(LINK_PRESETS['cryptflow2-wan']).toEqual({
      bandwidthBytesPerSecond: 40e6,
      echoLatencyMs: 80,
    });
    expect(isLinkPreset('wan')).toBe(true);
    expect(isLinkPreset('toString')).toBe(false);
  });
});
