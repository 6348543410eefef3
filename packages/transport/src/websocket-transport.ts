/**
 * WebSocket channels, over the WebSocket interface that browsers and the Node server share.
 * A WebSocket already frames messages, so one channel message is one binary WebSocket message
 * holding exactly its payload (no header of ours), and an abort is a close with code 4000 whose
 * reason is the abort code. No `node:` import here: this file runs in browsers.
 */
import { Channel, type Transport } from './channel.js';
import {
  ChannelClosedError,
  ConnectError,
  FrameTooLargeError,
  MalformedFrameError,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  type TransportError,
} from './errors.js';
import { abortCode, decodeAbortCode } from './framing.js';
import { Inbox } from './inbox.js';
import { type TransportOptions, withDefaults } from './options.js';

/** The close code of an abort; the close reason carries the abort code (ASCII, ≤ 64 bytes). */
export const ABORT_CLOSE_CODE = 4000;
/** The close code of a clean close. */
const NORMAL_CLOSE_CODE = 1000;
/** WebSocket readyState of an open socket. */
const OPEN = 1;
/** WebSocket readyState of a closed socket. */
const CLOSED = 3;
/**
 * Bytes the socket may hold unsent before a send waits for them to leave (the same mark as
 * TCP's). The WebSocket interface has no 'drain' event, so the wait polls `bufferedAmount`.
 */
const SEND_HIGH_WATER_MARK = 2 ** 20;
const DRAIN_POLL_MS = 1;

/** What this transport uses of a WebSocket: the standard interface (browsers), which `ws` also has. */
export interface WebSocketLike {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null;
  onerror: ((event: { readonly message?: string; readonly error?: unknown }) => void) | null;
  /** Stops reading from the peer (`ws` has it; browsers do not, so they cannot push back). */
  pause?(): void;
  resume?(): void;
  readonly isPaused?: boolean;
  /** Drops the connection without a closing handshake (`ws`). */
  terminate?(): void;
}

/** A WebSocket class: the global one in browsers, or `ws`'s on Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What the side that made the socket knows beyond the WebSocket interface. */
export interface WebSocketPeer {
  /** The peer's address (host:port) for logs. */
  readonly remoteAddress: string;
  /** From `start()` to an agreed handshake, at most this long (0: no limit). */
  readonly handshakeTimeoutMs?: number;
  /** The first message's own limit (the hello), checked as it arrives. */
  readonly firstFrameMaxBytes?: number;
}

export class WebSocketTransport implements Transport {
  maxFrameBytes: number;
  readonly receiveHighWaterMark: number;
  readonly remoteAddress: string;
  private readonly inbox: Inbox;
  private readonly options: Required<TransportOptions>;
  private first = true;
  private ended = false;
  private drained: Promise<void> | null = null;
  private closedByPeer: (() => void) | null = null;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;

  /** `socket` is open; it is read from once `start()` is called (if it can pause). */
  constructor(
    private readonly socket: WebSocketLike,
    options: Required<TransportOptions>,
    private readonly peer: WebSocketPeer,
  ) {
    this.options = options;
    this.maxFrameBytes = options.maxFrameBytes;
    this.receiveHighWaterMark = options.receiveHighWaterMark;
    this.remoteAddress = peer.remoteAddress;
    this.inbox = new Inbox(
      options.idleTimeoutMs,
      () => this.drop('TIMEOUT'),
      () => {
        if (socket.isPaused && this.inbox.queuedBytes < options.receiveHighWaterMark)
          socket.resume?.();
      },
      options.minBytesPerSecond,
    );
    socket.binaryType = 'arraybuffer';
    socket.onmessage = (event) => this.message(event.data);
    socket.onerror = (event) => this.fail(this.describe(event));
    socket.onclose = (event) => this.closed(event.code, event.reason);
  }

  /** Starts reading, and the clocks of the session deadline and of the handshake. */
  start(): void {
    const { sessionDeadlineMs } = this.options;
    if (sessionDeadlineMs > 0) this.timeoutAfter(sessionDeadlineMs, 'the session deadline passed');
    const handshakeTimeoutMs = this.peer.handshakeTimeoutMs ?? 0;
    if (handshakeTimeoutMs > 0)
      this.handshakeTimer = this.timeoutAfter(
        handshakeTimeoutMs,
        'the peer did not complete the handshake',
      );
    this.socket.resume?.();
  }

  /** The handshake agreed: stop its clock. */
  established(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
  }

  /**
   * Bytes of the WebSocket stream arrived (framing included), where the side that made the
   * socket can see them: a large message in flight is progress before it is complete.
   */
  bytesArrived(bytes: number): void {
    this.inbox.progress(bytes, 0);
  }

  write(message: Uint8Array): Promise<void> {
    if (this.ended || this.socket.readyState !== OPEN)
      return Promise.reject(this.inbox.failed ?? new ChannelClosedError());
    this.socket.send(message);
    if (this.socket.bufferedAmount <= SEND_HIGH_WATER_MARK) return Promise.resolve();
    return this.waitForDrain();
  }

  read(): Promise<Uint8Array> {
    return this.inbox.read();
  }

  abort(reason: string): void {
    if (!this.ended && this.socket.readyState === OPEN)
      this.socket.close(ABORT_CLOSE_CODE, abortCode(reason));
    this.ended = true;
    this.inbox.fail(new ChannelClosedError(`channel was aborted: ${reason}`));
  }

  /** Messages longer than `bytes` are refused as they arrive (the socket has buffered them). */
  limitMessages(bytes: number): void {
    this.maxFrameBytes = Math.min(this.maxFrameBytes, bytes);
  }

  close(): Promise<void> {
    this.ended = true;
    this.inbox.fail(new ChannelClosedError());
    if (this.socket.readyState === CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.closedByPeer = resolve;
      this.socket.close(NORMAL_CLOSE_CODE);
    });
  }

  private message(data: unknown): void {
    if (!(data instanceof ArrayBuffer)) {
      this.fail(new MalformedFrameError('the peer sent a text message (not a secinfer peer?)'));
      this.drop('MALFORMED_FRAME');
      return;
    }
    const limit = this.first
      ? Math.min(this.peer.firstFrameMaxBytes ?? this.maxFrameBytes, this.maxFrameBytes)
      : this.maxFrameBytes;
    this.first = false;
    if (data.byteLength > limit) {
      this.fail(new FrameTooLargeError(data.byteLength, limit, 'receive'));
      this.drop('FRAME_TOO_LARGE');
      return;
    }
    this.inbox.progress(0, 1);
    this.inbox.push(new Uint8Array(data));
    if (this.inbox.queuedBytes >= this.receiveHighWaterMark) this.socket.pause?.();
  }

  /** What an error event means: `ws` says why (an oversized or invalid frame); browsers do not. */
  private describe(event: { message?: string; error?: unknown }): TransportError {
    const code = (event.error as { code?: unknown } | undefined)?.code;
    if (code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
      return new FrameTooLargeError(undefined, this.maxFrameBytes, 'receive');
    if (typeof code === 'string' && code.startsWith('WS_ERR_'))
      return new MalformedFrameError(
        `the peer ${this.remoteAddress} sent an invalid WebSocket frame: ${event.message}`,
      );
    return new PeerClosedError(
      `connection to ${this.remoteAddress} failed${event.message ? `: ${event.message}` : ''}`,
    );
  }

  private closed(code: number, reason: string): void {
    if (code === ABORT_CLOSE_CODE)
      this.fail(new PeerAbortedError(decodeAbortCode(new TextEncoder().encode(reason))));
    else if (code === NORMAL_CLOSE_CODE || code === 1001 || code === 1005)
      this.fail(new PeerClosedError(`peer ${this.remoteAddress} closed the channel`));
    else
      this.fail(
        new PeerClosedError(
          `connection to ${this.remoteAddress} lost (WebSocket close code ${code}${reason ? `, ${reason}` : ''})`,
        ),
      );
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.closedByPeer?.();
  }

  /** Ends the connection at once where the socket can (`ws`), else with an abort. */
  private drop(code: string): void {
    this.ended = true;
    if (this.socket.terminate) this.socket.terminate();
    else if (this.socket.readyState === OPEN) this.socket.close(ABORT_CLOSE_CODE, code);
  }

  private timeoutAfter(ms: number, what: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.fail(new TimeoutError(`${what} (${this.remoteAddress})`, ms, 'deadline'));
      this.drop('TIMEOUT');
    }, ms);
    (timer as { unref?: () => void }).unref?.();
    this.timers.push(timer);
    return timer;
  }

  /**
   * One wait shared by every send held back meanwhile: until the unsent bytes fall to the
   * mark, failing after `idleTimeoutMs` in which none of them left.
   */
  private waitForDrain(): Promise<void> {
    this.drained ??= new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.idleTimeoutMs;
      let lastAmount = this.socket.bufferedAmount;
      let lastProgress = performance.now();
      const poll = () => {
        const amount = this.socket.bufferedAmount;
        const failure = this.inbox.failed;
        if (this.socket.readyState !== OPEN) {
          this.drained = null;
          reject(
            failure ??
              new PeerClosedError(`connection to ${this.remoteAddress} closed while sending`),
          );
          return;
        }
        if (amount <= SEND_HIGH_WATER_MARK) {
          this.drained = null;
          resolve();
          return;
        }
        const now = performance.now();
        if (amount < lastAmount) {
          lastAmount = amount;
          lastProgress = now;
        } else if (timeoutMs > 0 && now - lastProgress >= timeoutMs) {
          const error = new TimeoutError(
            `sending to ${this.remoteAddress} (peer is not reading)`,
            timeoutMs,
          );
          this.drained = null;
          reject(error);
          this.fail(error);
          this.drop('TIMEOUT');
          return;
        }
        setTimeout(poll, DRAIN_POLL_MS);
      };
      setTimeout(poll, DRAIN_POLL_MS);
    });
    return this.drained;
  }

  private fail(error: TransportError): void {
    this.inbox.fail(error);
  }
}

/** Options of `connectWebSocket`. */
export interface WebSocketConnectOptions extends TransportOptions {
  /** Give up if the connection is not up within this time. Default 10 s. */
  connectTimeoutMs?: number;
  /** The WebSocket class; default the global one (browsers; Node ≥ 22). */
  WebSocket?: WebSocketConstructor;
}

/**
 * A channel on `socket` once it opens; rejects with ConnectError if it fails or does not open
 * within `connectTimeoutMs`. For the side that made the socket (browser or Node client).
 */
export function channelWhenOpen(
  socket: WebSocketLike,
  url: string,
  options: Omit<WebSocketConnectOptions, 'WebSocket'> = {},
): Promise<Channel> {
  const { connectTimeoutMs = 10_000, ...rest } = options;
  const resolved = withDefaults(rest);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.onclose = null;
      socket.onerror = null;
      socket.terminate ? socket.terminate() : socket.close();
      reject(new ConnectError(url, `no answer within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    socket.onerror = (event) => {
      clearTimeout(timer);
      const message = event.message ?? '';
      const hint = /ECONNREFUSED/.test(message)
        ? 'connection refused (is the peer listening?)'
        : message || 'the connection failed (refused, unreachable, or not a WebSocket server)';
      reject(new ConnectError(url, hint, { cause: event.error }));
    };
    socket.onclose = (event) => {
      clearTimeout(timer);
      reject(new ConnectError(url, `closed before it opened (WebSocket close code ${event.code})`));
    };
    socket.onopen = () => {
      clearTimeout(timer);
      const transport = new WebSocketTransport(socket, resolved, {
        remoteAddress: hostOf(url),
      });
      transport.start();
      resolve(new Channel(transport));
    };
  });
}

/** The host:port of a ws:// or wss:// URL, for logs. */
function hostOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'wss:' ? 443 : 80)}`;
}

/**
 * Connects to a secinfer WebSocket listener at `url` (ws:// or wss://; a browser checks a
 * wss:// certificate against its own trust store). Rejects with ConnectError.
 */
export function connectWebSocket(
  url: string,
  options: WebSocketConnectOptions = {},
): Promise<Channel> {
  const { WebSocket = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket, ...rest } =
    options;
  if (!WebSocket)
    return Promise.reject(
      new ConnectError(url, 'no WebSocket class here (on Node, use the main entry)'),
    );
  let socket: WebSocketLike;
  try {
    socket = new WebSocket(url);
  } catch (error) {
    return Promise.reject(new ConnectError(url, (error as Error).message, { cause: error }));
  }
  return channelWhenOpen(socket, url, rest);
}
