/**
 * The receive side every transport shares: a queue of complete messages, readers waiting
 * for them, the idle timeout, and the terminal error (closed, aborted, timed out) that every
 * later read rejects with. Transports push messages and failures in; Channel reads out.
 */
import { TimeoutError, type TransportError } from './errors.js';

export class Inbox {
  private readonly messages: Uint8Array[] = [];
  private readonly readers: { resolve: (m: Uint8Array) => void; reject: (e: Error) => void }[] = [];
  private failure: TransportError | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastProgress = 0;
  // Bytes arrived since lastProgress that were too few, for the time they took, to count.
  private slowBytes = 0;
  /** Bytes of complete messages nobody has read yet. */
  queuedBytes = 0;

  constructor(
    private readonly idleTimeoutMs: number,
    /** Called when the idle timeout fires, to tear the transport down. */
    private readonly onTimeout: (error: TimeoutError) => void,
    /** Called after a read takes a message out, so the transport can resume reading. */
    private readonly onDrain: () => void = () => {},
    /** Bytes arriving slower than this on average are no progress (see TransportOptions). */
    private readonly minBytesPerSecond = 0,
  ) {}

  get failed(): TransportError | null {
    return this.failure;
  }

  push(message: Uint8Array): void {
    const reader = this.readers.shift();
    if (reader) {
      reader.resolve(message);
      this.armTimer();
      return;
    }
    this.messages.push(message);
    this.queuedBytes += message.length;
  }

  /**
   * `bytes` of a message in flight arrived, completing `frames` messages: progress, which
   * postpones the idle timeout, if a message completed or the bytes since the last progress
   * came at `minBytesPerSecond` or faster. A trickle is not progress, however long it lasts.
   */
  progress(bytes: number, frames: number): void {
    const now = performance.now();
    this.slowBytes += bytes;
    if (
      frames > 0 ||
      this.slowBytes >= (this.minBytesPerSecond * (now - this.lastProgress)) / 1000
    ) {
      this.lastProgress = now;
      this.slowBytes = 0;
    }
  }

  read(): Promise<Uint8Array> {
    const message = this.messages.shift();
    if (message) {
      this.queuedBytes -= message.length;
      this.onDrain();
      return Promise.resolve(message);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.readers.push({ resolve, reject });
      this.armTimer();
    });
  }

  /** Ends the inbox: queued messages stay readable, then every read rejects with `error`. */
  fail(error: TransportError): void {
    if (this.failure) return;
    this.failure = error;
    this.clearTimer();
    for (const reader of this.readers.splice(0)) reader.reject(error);
  }

  // One timer per wait, not one per chunk: when it fires after progress, it re-arms for
  // the time left (a timer per 64 KiB chunk costs more than the chunk's copy).
  private armTimer(): void {
    this.clearTimer();
    if (this.readers.length === 0 || this.idleTimeoutMs <= 0 || this.failure) return;
    this.lastProgress = performance.now();
    this.slowBytes = 0;
    const check = () => {
      const idle = performance.now() - this.lastProgress;
      if (idle < this.idleTimeoutMs) {
        this.timer = setTimeout(check, this.idleTimeoutMs - idle);
        return;
      }
      this.timer = null;
      const error = new TimeoutError('waiting for a message from the peer', this.idleTimeoutMs);
      this.fail(error);
      this.onTimeout(error);
    };
    this.timer = setTimeout(check, this.idleTimeoutMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
