/**
 * Channel: a full-duplex, ordered message channel between exactly two parties, with exact
 * counters of bytes, messages and rounds, per channel and per labelled phase. A Channel sits
 * on a Transport (in-memory, TCP, a simulated link, ...) that moves whole frames; the counting
 * lives here once, so every transport reports the same figures for the same protocol.
 */
import { ChannelClosedError, FrameTooLargeError, UnexpectedLengthError } from './errors.js';
import { abortCode } from './framing.js';

/** Moves whole messages between two parties. Implement this to add a transport. */
export interface Transport {
  /** Queue one message; resolves once the transport accepts more (backpressure). */
  write(message: Uint8Array): Promise<void>;
  /** The next message from the peer. */
  read(): Promise<Uint8Array>;
  /** Tell the peer why we give up (best effort, a code such as `TIMEOUT`), then release resources. */
  abort(code: string): void;
  /** The session handshake agreed: a transport may lift its pre-handshake limits. */
  established?(): void;
  /**
   * Lowers `maxFrameBytes` to `bytes` (never raises it) for the rest of the transport's life:
   * a longer message from the peer is refused with FrameTooLargeError as soon as its length is
   * known, before its payload is buffered where the transport reads frames itself.
   */
  limitMessages?(bytes: number): void;
  /** Flush what is queued and close. */
  close(): Promise<void>;
  /** Largest message this transport carries (from its options, or as `limitMessages` lowered it). */
  readonly maxFrameBytes: number;
  /** The peer's address (host:port) for logs, when the transport has one. */
  readonly remoteAddress?: string;
  /** Unread bytes it buffers before it stops reading from the peer, when it has such a mark. */
  readonly receiveHighWaterMark?: number;
}

/**
 * Cost counters. Bytes are message payload bytes; on the wire TCP adds 5 B of framing per
 * message, WebSocket its own 2–14 B (and 4 B of masking key from a client). A message counts
 * when `send` is called, not when the transport writes it (TCP writes the small frames of one
 * synchronous run together), so counts never depend on timing.
 */
export interface Counters {
  bytesSent: number;
  bytesReceived: number;
  messagesSent: number;
  messagesReceived: number;
  /**
   * Maximal runs of same-direction operations in this party's sequence of send and recv
   * calls (A→B→A is 3 rounds for both parties; a simultaneous exchange is 2).
   */
  rounds: number;
}

type Direction = 'send' | 'recv' | null;

class Tally implements Counters {
  bytesSent = 0;
  bytesReceived = 0;
  messagesSent = 0;
  messagesReceived = 0;
  rounds = 0;
  private last: Direction = null;

  /** A send or recv call: starts a new round when the direction changes. */
  turn(direction: 'send' | 'recv'): void {
    if (this.last !== direction) {
      this.rounds++;
      this.last = direction;
    }
  }

  sent(bytes: number): void {
    this.bytesSent += bytes;
    this.messagesSent++;
  }

  received(bytes: number): void {
    this.bytesReceived += bytes;
    this.messagesReceived++;
  }

  snapshot(): Counters {
    const { bytesSent, bytesReceived, messagesSent, messagesReceived, rounds } = this;
    return { bytesSent, bytesReceived, messagesSent, messagesReceived, rounds };
  }

  add(other: Counters): void {
    this.bytesSent += other.bytesSent;
    this.bytesReceived += other.bytesReceived;
    this.messagesSent += other.messagesSent;
    this.messagesReceived += other.messagesReceived;
    this.rounds += other.rounds;
  }
}

/** The typed-array constructors a channel can receive directly. */
export type TypedArrayConstructor<T extends ArrayBufferView> = {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/** A two-party message channel with exact cost accounting. */
export class Channel {
  /** The transport under this channel (for wrappers such as the link simulator). */
  readonly transport: Transport;
  private readonly total = new Tally();
  private readonly active = new Set<Tally>();
  private readonly byPhase = new Map<string, Tally>();
  private closed = false;
  private largestSent = 0;
  private largestReceived = 0;

  constructor(transport: Transport) {
    this.transport = transport;
  }

  /**
   * Sends one message. The channel takes ownership of the bytes: do not modify the buffer
   * afterwards (transports may hand it to the peer or the kernel without copying). Resolves
   * when the transport can take more.
   */
  send(message: ArrayBufferView): Promise<void> {
    if (this.closed) return Promise.reject(new ChannelClosedError());
    const bytes = asBytes(message);
    if (bytes.length > this.transport.maxFrameBytes) {
      return Promise.reject(
        new FrameTooLargeError(bytes.length, this.transport.maxFrameBytes, 'send'),
      );
    }
    for (const tally of this.tallies()) {
      tally.turn('send');
      tally.sent(bytes.length);
    }
    if (bytes.length > this.largestSent) this.largestSent = bytes.length;
    return this.transport.write(bytes);
  }

  /**
   * Receives the next message. With `expectedBytes`, a message of any other length rejects
   * with UnexpectedLengthError — the parties disagree on a size — and the channel is aborted.
   */
  async recv(expectedBytes?: number, label?: string): Promise<Uint8Array> {
    if (this.closed) throw new ChannelClosedError();
    // A recv starts its round when called, not when data arrives, so counts never depend on timing.
    for (const tally of this.tallies()) tally.turn('recv');
    const message = await this.transport.read();
    // A message that arrived before a `limitMessages` (or over a transport that cannot check
    // lengths as they arrive, such as the in-memory one) is refused here; it is not counted.
    if (message.length > this.transport.maxFrameBytes) {
      const error = new FrameTooLargeError(message.length, this.transport.maxFrameBytes, 'receive');
      this.abort(error.code);
      throw error;
    }
    for (const tally of this.tallies()) tally.received(message.length);
    if (message.length > this.largestReceived) this.largestReceived = message.length;
    if (expectedBytes !== undefined && message.length !== expectedBytes) {
      const error = new UnexpectedLengthError(expectedBytes, message.length, label);
      this.abort(error.code);
      throw error;
    }
    return message;
  }

  /** Receives a message of exactly `count` elements as a typed array (no copy). */
  async recvArray<T extends ArrayBufferView>(
    type: TypedArrayConstructor<T>,
    count: number,
    label?: string,
  ): Promise<T> {
    const bytes = await this.recv(count * type.BYTES_PER_ELEMENT, label);
    if (bytes.byteOffset % type.BYTES_PER_ELEMENT === 0)
      return new type(bytes.buffer as ArrayBuffer, bytes.byteOffset, count);
    return new type(bytes.slice().buffer, 0, count);
  }

  /** Runs `fn` and adds what the channel carried meanwhile to the counters of phase `label`. */
  async phase<T>(label: string, fn: () => Promise<T>): Promise<T> {
    const tally = new Tally();
    this.active.add(tally);
    try {
      return await fn();
    } finally {
      this.active.delete(tally);
      const sum = this.byPhase.get(label) ?? new Tally();
      sum.add(tally);
      this.byPhase.set(label, sum);
    }
  }

  /** The peer's address (host:port) for logs; undefined for in-memory channels. */
  get remoteAddress(): string | undefined {
    return this.transport.remoteAddress;
  }

  /**
   * Unread bytes the transport buffers before it stops reading from the peer (backpressure);
   * a protocol that keeps more than this in flight each way deadlocks. Undefined when the
   * transport does not say.
   */
  get receiveHighWaterMark(): number | undefined {
    return this.transport.receiveHighWaterMark;
  }

  /** Counters since the channel opened. */
  get stats(): Counters {
    return this.total.snapshot();
  }

  /** Counters per phase label, summed over every `phase` call with that label. */
  phases(): Map<string, Counters> {
    return new Map([...this.byPhase].map(([label, tally]) => [label, tally.snapshot()]));
  }

  /**
   * Tells the peer why this side gives up and closes; the peer's pending recv rejects with
   * PeerAbortedError. Only a code crosses the wire (`reason` if it is one, such as an error's
   * `code`, else `INTERNAL`): an error's message may hold secrets — an input's range, a path,
   * a weight — so log it on this side.
   */
  abort(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.abort(abortCode(reason));
  }

  /**
   * Lowers the largest message this channel sends or accepts to `bytes` for the rest of its
   * life (a larger value leaves the limit as it is): once a session knows from its public
   * parameters how long its messages can be, a peer can no longer make this side buffer up
   * to the transport's global `maxFrameBytes`. Sending a longer message rejects with
   * FrameTooLargeError (nothing is sent); receiving one rejects with FrameTooLargeError and
   * aborts the channel (code FRAME_TOO_LARGE), as soon as the frame's length is read on TCP,
   * when the whole message has arrived on WebSocket (its library buffers up to the limit it
   * was opened with) and in memory. `messageLimit` reads the limit in force.
   */
  limitMessages(bytes: number): void {
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`limitMessages wants a byte count, got ${bytes}`);
    this.transport.limitMessages?.(bytes);
    this.largestSent = 0;
    this.largestReceived = 0;
  }

  /**
   * The longest message sent and received since the channel opened or since the last
   * `limitMessages`, in bytes: what that bound is measured against.
   */
  get largestMessages(): { readonly sent: number; readonly received: number } {
    return { sent: this.largestSent, received: this.largestReceived };
  }

  /** The largest message this channel sends or accepts now, in bytes. */
  get messageLimit(): number {
    return this.transport.maxFrameBytes;
  }

  /** Called by `handshake` once the parties agree: the transport lifts its pre-handshake limits. */
  established(): void {
    this.transport.established?.();
  }

  /** Flushes and closes; the peer's next recv rejects with PeerClosedError. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transport.close();
  }

  private *tallies(): Iterable<Tally> {
    yield this.total;
    yield* this.active;
  }
}

function asBytes(view: ArrayBufferView): Uint8Array {
  return view instanceof Uint8Array
    ? view
    : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}
