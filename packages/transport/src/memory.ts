/**
 * An in-memory channel pair for tests and single-process runs: no sockets, no copies
 * (messages change hands by reference, which is why Channel.send takes ownership).
 */
import { Channel, type Transport } from './channel.js';
import { ChannelClosedError, PeerAbortedError, PeerClosedError } from './errors.js';
import { abortCode } from './framing.js';
import { Inbox } from './inbox.js';
import { type TransportOptions, withDefaults } from './options.js';

class MemoryTransport implements Transport {
  peer!: MemoryTransport;
  readonly inbox: Inbox;
  maxFrameBytes: number;
  readonly receiveHighWaterMark: number;
  private waitingForDrain: (() => void)[] = [];
  private closed = false;

  constructor(options: Required<TransportOptions>) {
    this.maxFrameBytes = options.maxFrameBytes;
    this.receiveHighWaterMark = options.receiveHighWaterMark;
    this.inbox = new Inbox(
      options.idleTimeoutMs,
      (error) => this.shutdown(error.code),
      () => this.peer.drained(),
    );
  }

  write(message: Uint8Array): Promise<void> {
    if (this.closed) return Promise.reject(new ChannelClosedError());
    // A peer that aborted told us why (our inbox holds its PeerAbortedError): say that.
    if (this.peer.closed)
      return Promise.reject(this.inbox.failed ?? new PeerClosedError('peer closed the channel'));
    // Like a socket: a message is always accepted, but the next send waits while the
    // peer has more than the high-water mark unread.
    const backlog = this.peer.inbox.queuedBytes;
    this.peer.inbox.push(message);
    if (backlog < this.receiveHighWaterMark) return Promise.resolve();
    return new Promise((resolve) => this.waitingForDrain.push(resolve));
  }

  read(): Promise<Uint8Array> {
    return this.inbox.read();
  }

  /** The peer's messages change hands by reference, so Channel.recv checks their length. */
  limitMessages(bytes: number): void {
    this.maxFrameBytes = Math.min(this.maxFrameBytes, bytes);
  }

  abort(reason: string): void {
    this.shutdown(reason);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.inbox.fail(new ChannelClosedError());
    this.peer.inbox.fail(new PeerClosedError('peer closed the channel'));
    this.releaseWriters();
  }

  private shutdown(reason: string): void {
    this.closed = true;
    this.inbox.fail(new ChannelClosedError(`channel was aborted: ${reason}`));
    this.peer.inbox.fail(new PeerAbortedError(abortCode(reason)));
    this.releaseWriters();
  }

  private drained(): void {
    if (this.peer.inbox.queuedBytes < this.receiveHighWaterMark) this.releaseWriters();
  }

  private releaseWriters(): void {
    for (const resolve of this.waitingForDrain.splice(0)) resolve();
  }
}

/** Two connected channels in one process: what one sends, the other receives. */
export function memoryPair(options?: TransportOptions): [Channel, Channel] {
  const resolved = withDefaults(options);
  const a = new MemoryTransport(resolved);
  const b = new MemoryTransport(resolved);
  a.peer = b;
  b.peer = a;
  return [new Channel(a), new Channel(b)];
}
