/**
 * Link measurement at session start: the round-trip time and the bandwidth of the channel, so
 * a session can choose its protocols for the link it actually has. One party leads — it times
 * everything and then sends the figures — so both parties hold the same numbers and any
 * decision taken from them is the same on both sides.
 *
 *   round trip: PINGS one-byte echoes, the fastest kept (queueing only ever adds);
 *   bandwidth:  bursts of 64 KiB, 256 KiB, … from the leader, each acknowledged by one byte;
 *               a burst's time less one round trip is its transfer time, and the first burst
 *               that takes at least MIN_BURST_MS (or the largest allowed) gives the figure.
 * The whole probe stops after BUDGET_MS, so it is bounded on any link (well under 0.5 s for
 * bursts of ≤ 16 MiB at ≥ 40 MB/s). The bandwidth is the leader-to-follower direction.
 */
import type { Channel } from './channel.js';
import { MalformedFrameError } from './errors.js';

/** What the probe measured, identical on both sides. */
export interface LinkFigures {
  /** Round-trip time in milliseconds. */
  readonly rttMs: number;
  /** Leader-to-follower bandwidth in bytes per second. */
  readonly bytesPerSecond: number;
}

const PINGS = 5;
const FIRST_BURST = 64 * 1024;
const LARGEST_BURST = 16 * 1024 * 1024;
const MIN_BURST_MS = 25;
const BUDGET_MS = 300;

/** The first byte of each leader message. */
const PING = 0;
const BURST = 1;
const RESULT = 2;

/** Leader side: times the link, sends the figures to the follower, returns them. */
export async function probeLinkLead(channel: Channel): Promise<LinkFigures> {
  const start = performance.now();
  let rttMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < PINGS; i++) {
    const t0 = performance.now();
    await channel.send(Uint8Array.of(PING));
    await channel.recv(1, 'link probe: echo');
    rttMs = Math.min(rttMs, performance.now() - t0);
  }
  let bytesPerSecond = 0;
  for (let size = FIRST_BURST; ; size *= 4) {
    const burst = new Uint8Array(size);
    burst[0] = BURST;
    const t0 = performance.now();
    await channel.send(burst);
    await channel.recv(1, 'link probe: burst acknowledgement');
    const elapsed = performance.now() - t0;
    // A burst faster than the echo measured nothing but noise: keep the last usable figure.
    const transferMs = elapsed - rttMs;
    if (transferMs > 0) bytesPerSecond = (size * 1000) / transferMs;
    const done =
      transferMs >= MIN_BURST_MS ||
      size * 4 > LARGEST_BURST ||
      performance.now() - start + 4 * elapsed > BUDGET_MS;
    if (done) break;
  }
  // A link so fast that no burst rose above the echo: report the largest burst over 1 µs.
  if (bytesPerSecond === 0) bytesPerSecond = LARGEST_BURST * 1e6;
  const result = new Float64Array([rttMs, bytesPerSecond]);
  const message = new Uint8Array(1 + result.byteLength);
  message[0] = RESULT;
  message.set(new Uint8Array(result.buffer), 1);
  await channel.send(message);
  return { rttMs, bytesPerSecond };
}

/** Follower side: echoes and acknowledges until the leader sends its figures. */
export async function probeLinkFollow(channel: Channel): Promise<LinkFigures> {
  for (;;) {
    const message = await channel.recv(undefined, 'link probe');
    const kind = message[0];
    if (kind === PING || kind === BURST) {
      await channel.send(Uint8Array.of(kind));
    } else if (kind === RESULT && message.length === 17) {
      const figures = new Float64Array(message.slice(1).buffer);
      return { rttMs: figures[0]!, bytesPerSecond: figures[1]! };
    } else {
      throw new MalformedFrameError(
        `link probe: a message of ${message.length} bytes starting with ${kind} is not a probe message`,
      );
    }
  }
}
