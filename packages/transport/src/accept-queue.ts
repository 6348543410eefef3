/**
 * What every listener does with strangers before a session starts, whatever carries it (TCP,
 * WebSocket): connections counted per address from their first byte, queued paused until
 * `accept()` (the queue capped, each place in it on a clock), and the waiters for the next one.
 * Listeners of both kinds may share one queue, so that a server's limits hold for a stranger
 * over both, and its sessions come from one line.
 */
import type { Channel } from './channel.js';
import { ChannelClosedError } from './errors.js';

/** What `listen` and `listenWebSocket` return: connections, one Channel each. */
export interface Listener extends AsyncIterable<Channel> {
  /** The bound port (useful with port 0). */
  readonly port: number;
  /** Connections waiting for `accept()` (in the queue, shared or not). */
  readonly pending: number;
  /** Connections closed at once because a limit was reached (queue full, or per address). */
  readonly refused: number;
  /** The next connection; it starts reading (and its clocks start) now. */
  accept(): Promise<Channel>;
  /** Stops accepting and closes the queued connections (of the shared queue); accepted channels stay open. */
  close(): Promise<void>;
}

const queues = new WeakMap<Listener, AcceptQueue>();

/** Records that `listener` hands out the connections of `queue`. */
export function joinQueue(listener: Listener, queue: AcceptQueue): void {
  queues.set(listener, queue);
}

/** The queue of a listener made by `listen` or `listenWebSocket`, for another to share. */
export function queueOf(listener: Listener): AcceptQueue {
  const queue = queues.get(listener);
  if (!queue)
    throw new TypeError('shareQueueWith takes a listener made by listen or listenWebSocket');
  return queue;
}

/** A bound server as its listener needs it: the address it listens on, and a way to stop. */
export interface BoundServer {
  address(): { port: number } | string | null;
  close(): unknown;
}

/**
 * What a listener of any transport is once it has a queue: its counts, `accept()`, iteration
 * and `close()`. A subclass only admits connections into the queue.
 */
export abstract class QueuedListener implements Listener {
  protected constructor(
    private readonly server: BoundServer,
    protected readonly queue: AcceptQueue,
  ) {
    joinQueue(this, queue);
  }

  get refused(): number {
    return this.queue.refused;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  get pending(): number {
    return this.queue.pending;
  }

  accept(): Promise<Channel> {
    return this.queue.accept();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Channel> {
    for (;;) {
      try {
        yield await this.accept();
      } catch (error) {
        if (error instanceof ChannelClosedError) return;
        throw error;
      }
    }
  }

  /**
   * Stops accepting and closes the queued connections; accepted channels stay open. Closes a
   * shared queue for every listener on it (close each to release its port).
   */
  close(): Promise<void> {
    this.queue.close();
    // A server's close calls back only once every accepted connection has ended; the port
    // itself is released at once, which is all this promise stands for.
    this.server.close();
    return Promise.resolve();
  }
}

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

interface Waiter {
  resolve: (channel: Channel) => void;
  reject: (error: Error) => void;
}

export class AcceptQueue {
  private readonly queue: Queued[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly perAddress = new Map<string, number>();
  private closed = false;
  /** Connections closed at once because a limit was reached (queue full, or per address). */
  refused = 0;

  constructor(private readonly limits: QueueLimits) {}

  /**
   * Counts `connection` against its address until it closes, and returns what gives the place
   * back (once, however often called: a transport that takes over the connection's handle
   * calls it on its own close); null (and the connection closed) over the limit.
   */
  countAddress(connection: Counted): (() => void) | null {
    const address = connection.remoteAddress ?? '?';
    const open = this.perAddress.get(address) ?? 0;
    const { maxPerAddress } = this.limits;
    if (this.closed || (maxPerAddress > 0 && open >= maxPerAddress)) {
      this.refused++;
      connection.destroy();
      return null;
    }
    this.perAddress.set(address, open + 1);
    let counted = true;
    const release = () => {
      if (!counted) return;
      counted = false;
      const left = (this.perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.perAddress.set(address, left);
      else this.perAddress.delete(address);
    };
    connection.once('close', release);
    return release;
  }

  /** Would a new connection be refused for want of a place in the queue? */
  get full(): boolean {
    const { maxPending } = this.limits;
    return maxPending > 0 && this.waiting.length === 0 && this.queue.length >= maxPending;
  }

  /**
   * Refuses (closes and counts) `connection` if the queue has no place for it: checked before
   * a listener spends anything on a connection (a reader, a WebSocket upgrade).
   */
  refuseIfFull(connection: { destroy(): void }): boolean {
    if (!this.full) return false;
    this.refused++;
    connection.destroy();
    return true;
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

  /** Stops admitting, fails the waiters and closes the queued connections. */
  close(): void {
    this.closed = true;
    const error = new ChannelClosedError('listener is closed');
    for (const waiter of this.waiting.splice(0)) waiter.reject(error);
    for (const queued of this.queue.splice(0)) {
      if (queued.timer) clearTimeout(queued.timer);
      void queued.admission.channel.close();
    }
  }
}
