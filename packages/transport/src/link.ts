/**
 * A link simulator: wraps a channel's transport with a bandwidth and a one-way latency per
 * direction, so LAN and WAN figures can be reproduced on one machine. Messages leave in
 * order; each occupies the link for size / bandwidth, then arrives one latency later.
 */
import { Channel, type Transport } from './channel.js';
import { yieldToEventLoop } from './yield.js';

/** A simulated link: bytes per second, and the echo (round-trip) latency in milliseconds. */
export interface LinkProfile {
  bandwidthBytesPerSecond: number;
  echoLatencyMs: number;
}

/**
 * Named network settings. `lan` and `wan` are the ones Cheetah measured (Huang et al., USENIX
 * Security 2022, §6: 384 MB/s with 0.3 ms round trip, 44 MB/s with 40 ms), so our figures sit
 * next to its tables; `cryptflow2-lan` and `cryptflow2-wan` are the CrypTFlow2 paper's (§7:
 * 377 MB/s with 0.3 ms echo, 40 MB/s with 80 ms), for its tables.
 */
export const LINK_PRESETS = {
  lan: { bandwidthBytesPerSecond: 384e6, echoLatencyMs: 0.3 },
  wan: { bandwidthBytesPerSecond: 44e6, echoLatencyMs: 40 },
  'cryptflow2-lan': { bandwidthBytesPerSecond: 377e6, echoLatencyMs: 0.3 },
  'cryptflow2-wan': { bandwidthBytesPerSecond: 40e6, echoLatencyMs: 80 },
} as const satisfies Record<string, LinkProfile>;

/** Whether `name` is one of the presets (for command-line parsing). */
export function isLinkPreset(name: string): name is LinkPreset {
  return Object.hasOwn(LINK_PRESETS, name);
}

export type LinkPreset = keyof typeof LINK_PRESETS;

class LinkTransport implements Transport {
  private readonly inner: Transport;
  private readonly secondsPerByte: number;
  private readonly oneWayMs: number;
  private linkFreeAt = 0;
  private delivered: Promise<void> = Promise.resolve();

  constructor(inner: Transport, profile: LinkProfile) {
    this.inner = inner;
    this.secondsPerByte = 1 / profile.bandwidthBytesPerSecond;
    this.oneWayMs = profile.echoLatencyMs / 2;
  }

  get maxFrameBytes(): number {
    return this.inner.maxFrameBytes;
  }

  get receiveHighWaterMark(): number | undefined {
    return this.inner.receiveHighWaterMark;
  }

  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }

  write(message: Uint8Array): Promise<void> {
    const now = performance.now();
    const start = Math.max(now, this.linkFreeAt);
    this.linkFreeAt = start + message.length * this.secondsPerByte * 1000;
    const arrival = this.linkFreeAt + this.oneWayMs;
    const previous = this.delivered;
    this.delivered = (async () => {
      await previous;
      await sleepUntil(arrival);
      await this.inner.write(message);
    })();
    // The sender may go on once the link has started on this message (it has drained).
    this.delivered.catch(() => {});
    return start > now ? sleepUntil(start) : Promise.resolve();
  }

  read(): Promise<Uint8Array> {
    return this.inner.read();
  }

  abort(reason: string): void {
    this.inner.abort(reason);
  }

  established(): void {
    this.inner.established?.();
  }

  async close(): Promise<void> {
    await this.delivered.catch(() => {});
    await this.inner.close();
  }
}

/**
 * Waits until performance.now() ≥ t. Timers are coarse (≥ 1 ms), so the last millisecond
 * is spent yielding to the event loop, which keeps sub-millisecond LAN latencies honest.
 */
async function sleepUntil(t: number): Promise<void> {
  const remaining = t - performance.now();
  if (remaining > 1.5) await new Promise((resolve) => setTimeout(resolve, remaining - 1));
  while (performance.now() < t) await yieldToEventLoop();
}

/**
 * Returns a channel that sends through a simulated link in front of `channel`'s transport.
 * Wrap both parties' channels to slow both directions. Use the returned channel only.
 */
export function simulateLink(channel: Channel, link: LinkPreset | LinkProfile): Channel {
  const profile = typeof link === 'string' ? LINK_PRESETS[link] : link;
  return new Channel(new LinkTransport(channel.transport, profile));
}
