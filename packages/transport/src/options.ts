/** Options shared by every transport, with the defaults that hold when they are omitted. */
export interface TransportOptions {
  /** Largest message accepted, each direction. Default 1 GiB. */
  maxFrameBytes?: number;
  /**
   * A pending recv (or a send waiting for the peer to drain) that sees no progress for this
   * long rejects with TimeoutError and closes the channel. Progress is a complete message, or
   * bytes of one arriving at `minBytesPerSecond` or faster. Default 300 s; 0 disables.
   */
  idleTimeoutMs?: number;
  /** Unread messages the receiver buffers before it stops reading from the peer. Default 256 MiB. */
  receiveHighWaterMark?: number;
  /**
   * Bytes of a message trickling in slower than this (on average since the last progress) do
   * not postpone the idle timeout, so a peer cannot hold a channel by sending a byte now and
   * then. Default 0 (any byte is progress).
   */
  minBytesPerSecond?: number;
  /**
   * The channel's whole life (from accept, or from connect) ends after this long with a
   * TimeoutError, whatever the peer does. Default 0 (no deadline).
   */
  sessionDeadlineMs?: number;
}

export const DEFAULTS: Required<TransportOptions> = {
  maxFrameBytes: 2 ** 30,
  idleTimeoutMs: 300_000,
  receiveHighWaterMark: 256 * 2 ** 20,
  minBytesPerSecond: 0,
  sessionDeadlineMs: 0,
};

export function withDefaults<T extends TransportOptions>(
  options: T = {} as T,
  defaults: Required<T> = DEFAULTS as Required<T>,
): Required<T> {
  return {
    ...defaults,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as Required<T>;
}
