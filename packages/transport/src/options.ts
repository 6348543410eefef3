/** Options shared by every transport, with the defaults that hold when they are omitted. */
export interface TransportOptions {
  /** Largest message accepted, each direction. Default 1 GiB. */
  maxFrameBytes?: number;
  /**
   * A pending recv (or a send waiting for the peer to drain) that sees no progress for this
   * long rejects with TimeoutError and closes the channel. Default 300 s; 0 disables.
   */
  idleTimeoutMs?: number;
  /** Unread messages the receiver buffers before it stops reading from the peer. Default 256 MiB. */
  receiveHighWaterMark?: number;
}

export const DEFAULTS: Required<TransportOptions> = {
  maxFrameBytes: 2 ** 30,
  idleTimeoutMs: 300_000,
  receiveHighWaterMark: 256 * 2 ** 20,
};

export function withDefaults(options: TransportOptions = {}): Required<TransportOptions> {
  return {
    ...DEFAULTS,
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  };
}
