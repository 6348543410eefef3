/**
 * What every listener does with strangers before a session starts, whatever carries it (TCP,
 * WebSocket): connections counted per address from their first byte, queued paused until
 * `accept()` (the queue capped, each place in it on a clock), and the waiters for the next one.
 */
import type { Channel } from './channel.js';
import { ChannelClosedError } from './errors.js';

/** A connection as the queue sees it: a channel to hand out, not reading until started. */
export interface Admission {
  readonly channel: Channel;
  /** Starts reading, and the clocks of the session. */
  start(): void;
  /** Drops the connection at once. */
  destroy(): void;
  /** Calls `listener` once the connection has closed, however it ended. */
  onClose(listener: () => void): void;
}

/** A connection at the level where its address is known (a socket). */
interface Counted {
  readonly remoteAddress?: string | undefined;
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
}

/** The queue's own limits (see ListenOptions; 0 disables one). */
export interface QueueLimits {
  maxPending: number;
  pendingTimeoutMs: number;
  maxPerAddress: number;
}

interface Queued {
  readonly admission: Admission;
  readonly timer: ReturnType<typeof setTimeout> | null;
}

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

export class AcceptQueue {
  private readonly queue: Queued[] = [];
  private readonly waiting: Waiter<Channel>[] = [];
  private readonly watching: Waiter<void>[] = [];
  private readonly perAddress = new Map<string, number>();
  private closed = false;
  /** Connections closed at once because a limit was reached (queue full, or per address). */
  refused = 0;

  constructor(private readonly limits: QueueLimits) {}

  /** Counts `connection` against its address until it closes; false (and closed) over the limit. */
  countAddress(connection: Counted): boolean {
    const address = connection.remoteAddress ?? '?';
    const open = this.perAddress.get(address) ?? 0;
    const { maxPerAddress } = this.limits;
    if (this.closed || (maxPerAddress > 0 && open >= maxPerAddress)) {
      this.refused++;
      connection.destroy();
      return false;
    }
    this.perAddress.set(address, open + 1);
    connection.once('close', () => {
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    });
    return true;
  }

  /** Would a new connection be refused for want of a place in the queue? */
  get full(): boolean {
    const { maxPending } = this.limits;
    return maxPending > 0 && this.waiting.length === 0 && this.queue.length >= maxPending;
  }

  /** A connection ready for a session: to a waiting `accept()`, else into the queue (or refused). */
  admit(admission: Admission): void {
    if (this.closed || this.full) {
      this.refused++;
      admission.destroy();
      return;
    }
    const waiter = this.waiting.shift();
    if (waiter) {
      admission.start();
      waiter.resolve(admission.channel);
      return;
    }
    const { pendingTimeoutMs } = this.limits;
    const queued: Queued = {
      admission,
      timer:
        pendingTimeoutMs > 0
          ? setTimeout(() => {
              this.remove(queued);
              admission.destroy();
            }, pendingTimeoutMs)
          : null,
    };
    queued.timer?.unref();
    // A queued connection leaves the queue when it closes. (Unread, a peer's hang-up goes
    // unseen until accept() starts reading; pendingTimeoutMs bounds that wait.)
    admission.onClose(() => {
      this.remove(queued);
      if (queued.timer) clearTimeout(queued.timer);
    });
    this.queue.push(queued);
    for (const watcher of this.watching.splice(0)) watcher.resolve();
  }

  private remove(queued: Queued): void {
    const at = this.queue.indexOf(queued);
    if (at >= 0) this.queue.splice(at, 1);
  }

  /** Connections waiting for `accept()`. */
  get pending(): number {
    return this.queue.length;
  }

  /** The next connection; it starts reading (and its clocks start) now. */
  accept(): Promise<Channel> {
    const queued = this.queue.shift();
    if (queued) {
      if (queued.timer) clearTimeout(queued.timer);
      queued.admission.start();
      return Promise.resolve(queued.admission.channel);
    }
    if (this.closed) return Promise.reject(new ChannelClosedError('listener is closed'));
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  /**
   * Resolves once a connection waits in the queue (at once if one does), without taking it:
   * a server that serves several listeners accepts from the one that has a connection. When
   * `signal` aborts first, it rejects with the signal's reason and leaves nothing behind.
   */
  ready(signal?: AbortSignal): Promise<void> {
    if (this.queue.length > 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new ChannelClosedError('listener is closed'));
    return new Promise((resolve, reject) => {
      const watcher = { resolve, reject };
      this.watching.push(watcher);
      signal?.addEventListener(
        'abort',
        () => {
          const at = this.watching.indexOf(watcher);
          if (at >= 0) this.watching.splice(at, 1);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Stops admitting, fails the waiters and closes the queued connections. */
  close(): void {
    this.closed = true;
    const error = new ChannelClosedError('listener is closed');
    for (const waiter of [...this.waiting.splice(0), ...this.watching.splice(0)])
      waiter.reject(error);
    for (const queued of this.queue.splice(0)) {
      if (queued.timer) clearTimeout(queued.timer);
      void queued.admission.channel.close();
    }
  }
}
