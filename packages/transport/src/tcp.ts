/**
 * TCP channels over node:net: TCP_NODELAY, large payloads read in place (reader.ts), the
 * small frames of one synchronous run of code coalesced into one write, backpressure on both
 * sides, and every way a connection can fail mapped to a typed error within the idle timeout.
 * A listener faces strangers: it bounds what a connection can hold before and after its
 * handshake (ListenOptions).
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { AcceptQueue, type Listener, QueuedListener, queueOf } from './accept-queue.js';
import { Channel, type Transport } from './channel.js';
import {
  ChannelClosedError,
  ConnectError,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  type TransportError,
} from './errors.js';
import { abortCode, decodeAbortCode, encodeHeader, type Frame, FrameKind } from './framing.js';
import { Inbox } from './inbox.js';
import { DEFAULTS, type TransportOptions, withDefaults } from './options.js';
import { adopt, FrameReader, type FrameSink, readByEvents } from './reader.js';

/**
 * Bytes queued in the socket beyond which a send waits for 'drain' (the kernel's send buffer
 * keeps the link busy meanwhile). Small on purpose: messages queued longer survive two
 * scavenges into the old generation, and with 16 MiB the sender ran a mark-compact every
 * ~120 MiB sent. Above the socket's own 16 KiB mark, so such a write has asked for 'drain'.
 */
const SEND_HIGH_WATER_MARK = 2 ** 20;
/**
 * Frames up to this size are copied into one buffer with their header and coalesced with the
 * small frames sent in the same synchronous run of code.
 */
const SMALL_FRAME_BYTES = 16 * 2 ** 10;

class TcpTransport implements Transport, FrameSink {
  maxFrameBytes: number;
  private readonly socket: net.Socket;
  private readonly inbox: Inbox;
  private readonly reader: FrameReader;
  private readonly options: Required<TransportOptions>;
  readonly remoteAddress: string;
  readonly receiveHighWaterMark: number;
  private corked = false;
  private drained: Promise<void> | null = null;
  private ended = false;
  private readonly timers: ReturnType<typeof setTimeout>[] = [];
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * `socket` reads through `reader` (its `onread`), which this transport now drains. With
   * `handshakeTimeoutMs`, the peer must complete the handshake that long after `start()`.
   */
  constructor(
    socket: net.Socket,
    reader: FrameReader,
    options: Required<TransportOptions>,
    private readonly handshakeTimeoutMs = 0,
  ) {
    this.socket = socket;
    this.options = options;
    this.maxFrameBytes = options.maxFrameBytes;
    this.receiveHighWaterMark = options.receiveHighWaterMark;
    this.remoteAddress = `${socket.remoteAddress}:${socket.remotePort}`;
    this.reader = reader;
    reader.sink = this;
    this.inbox = new Inbox(
      options.idleTimeoutMs,
      () => socket.destroy(),
      () => {
        if (socket.isPaused() && this.inbox.queuedBytes < options.receiveHighWaterMark)
          socket.resume();
      },
      options.minBytesPerSecond,
    );
    socket.setNoDelay(true);
    socket.on('end', () => this.onEnd());
    socket.on('error', (error) =>
      this.fail(
        new PeerClosedError(`connection to ${this.remoteAddress} failed: ${error.message}`, {
          cause: error,
        }),
      ),
    );
    socket.on('close', () => {
      this.onEnd();
      reader.decoder.end();
      for (const timer of this.timers) clearTimeout(timer);
    });
  }

  /** Starts reading, and the clocks of the session deadline and of the handshake. */
  start(): void {
    const { sessionDeadlineMs } = this.options;
    if (sessionDeadlineMs > 0) this.timeoutAfter(sessionDeadlineMs, 'the session deadline passed');
    if (this.handshakeTimeoutMs > 0)
      this.handshakeTimer = this.timeoutAfter(
        this.handshakeTimeoutMs,
        'the peer did not complete the handshake',
      );
    this.socket.resume();
  }

  /** Frames announced longer than `bytes` from now on are refused on their header. */
  limitMessages(bytes: number): void {
    this.maxFrameBytes = Math.min(this.maxFrameBytes, bytes);
    this.reader.decoder.limit(bytes);
  }

  /** The handshake agreed: stop its clock. */
  established(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
  }

  private timeoutAfter(ms: number, what: string): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.fail(new TimeoutError(`${what} (${this.remoteAddress})`, ms, 'deadline'));
      this.socket.destroy();
    }, ms);
    timer.unref();
    this.timers.push(timer);
    return timer;
  }

  write(message: Uint8Array): Promise<void> {
    const failure = this.inbox.failed;
    if (this.ended || this.socket.destroyed) {
      return Promise.reject(failure ?? new ChannelClosedError());
    }
    this.writeFrame(FrameKind.DATA, message);
    if (this.socket.writableLength <= SEND_HIGH_WATER_MARK) return Promise.resolve();
    return this.waitForDrain();
  }

  read(): Promise<Uint8Array> {
    return this.inbox.read();
  }

  abort(reason: string): void {
    if (!this.socket.destroyed && !this.ended) {
      this.writeFrame(FrameKind.ABORT, new TextEncoder().encode(abortCode(reason)));
      this.socket.end();
    }
    this.ended = true;
    this.inbox.fail(new ChannelClosedError(`channel was aborted: ${reason}`));
  }

  close(): Promise<void> {
    this.ended = true;
    this.inbox.fail(new ChannelClosedError());
    if (this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  private writeFrame(kind: FrameKind, payload: Uint8Array): void {
    const header = encodeHeader(kind, payload.length);
    if (payload.length > SMALL_FRAME_BYTES) {
      // Large: two plain writes. A corked writev of header + payload measured no faster on
      // 1 MiB messages (once ~15% slower), and the 5-byte header's own segment costs nothing.
      this.flushSmallFrames();
      this.socket.write(header);
      this.socket.write(payload);
      return;
    }
    // Small: one buffer per frame, and the small frames sent in one synchronous run leave in
    // one writev instead of one segment each under TCP_NODELAY. The flush is a microtask, so
    // it runs before the continuation of whoever awaits this send: a process.nextTick callback
    // queued from a microtask waits until the microtask queue is empty, and a sender whose
    // sends resolve at once (a chain of microtasks that never truly waits) held its frames
    // back until its next recv — a whole round of computation, the peer idle meanwhile.
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      queueMicrotask(() => this.flushSmallFrames());
    }
    const frame = new Uint8Array(header.length + payload.length);
    frame.set(header);
    frame.set(payload, header.length);
    this.socket.write(frame);
  }

  private flushSmallFrames(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  /** One wait for 'drain' shared by every send held back meanwhile. */
  private waitForDrain(): Promise<void> {
    this.drained ??= new Promise<void>((resolve, reject) => {
      const timeoutMs = this.options.idleTimeoutMs;
      const timer =
        timeoutMs > 0
          ? setTimeout(() => {
              const error = new TimeoutError(
                `sending to ${this.remoteAddress} (peer is not reading)`,
                timeoutMs,
              );
              settle(() => reject(error));
              this.fail(error);
              this.socket.destroy();
            }, timeoutMs)
          : null;
      const onDrain = () => settle(resolve);
      const onClose = () =>
        settle(() =>
          reject(
            this.inbox.failed ??
              new PeerClosedError(`connection to ${this.remoteAddress} closed while sending`),
          ),
        );
      const settle = (finish: () => void) => {
        if (timer) clearTimeout(timer);
        this.socket.off('drain', onDrain);
        this.socket.off('close', onClose);
        this.drained = null;
        finish();
      };
      this.socket.on('drain', onDrain);
      this.socket.on('close', onClose);
    });
    return this.drained;
  }

  frames(frames: Frame[], bytes: number): void {
    this.inbox.progress(bytes, frames.length);
    for (const frame of frames) {
      if (frame.kind === FrameKind.ABORT) {
        this.fail(new PeerAbortedError(decodeAbortCode(frame.payload)));
        this.socket.destroy();
        return;
      }
      this.inbox.push(frame.payload);
    }
    if (this.inbox.queuedBytes >= this.options.receiveHighWaterMark) this.socket.pause();
  }

  malformed(error: TransportError): void {
    this.fail(error);
    this.socket.destroy();
  }

  private onEnd(): void {
    const partial = this.reader.decoder.partial;
    if (partial) {
      const expected = partial.expected < 0 ? 'a frame header' : `${partial.expected} bytes`;
      this.fail(
        new PeerClosedError(
          `peer ${this.remoteAddress} closed mid-message: received ${partial.received} of ${expected}`,
        ),
      );
    } else {
      this.fail(new PeerClosedError(`peer ${this.remoteAddress} closed the channel`));
    }
    this.ended = true;
  }

  private fail(error: TransportError): void {
    this.inbox.fail(error);
  }
}

/** Where to listen or connect. */
export interface TcpAddress {
  /** Default 127.0.0.1. */
  host?: string;
  port: number;
}

/**
 * What a listener allows strangers. Every connection is bounded in time (queue wait,
 * handshake, session deadline, idle timeout with a minimum byte rate) and in memory
 * (pre-handshake frame limit, then maxFrameBytes and receiveHighWaterMark); the counts are
 * bounded too (queued connections, connections per address). 0 disables a limit.
 */
export interface ListenOptions extends TransportOptions {
  /** Connections accepted by the OS but not yet by `accept()`; beyond, new ones are closed. Default 64. */
  maxPending?: number;
  /** A connection that waits this long for `accept()` is closed. Default 30 s. */
  pendingTimeoutMs?: number;
  /** Open connections (queued or accepted) from one IP address; beyond, new ones are closed. Default 8. */
  maxPerAddress?: number;
  /**
   * Largest first frame received — the peer's `handshake()` hello, a few hundred bytes (4 KiB
   * suits secinfer sessions), so a handshake never parses more. Later frames, which an honest
   * peer may send in the same read as its hello, have maxFrameBytes. Default 0: no such limit.
   */
  handshakeFrameBytes?: number;
  /** From `accept()` to an agreed `handshake()`, at most this long (10 s suits). Default 0: none. */
  handshakeTimeoutMs?: number;
}

export const LISTEN_DEFAULTS: Required<ListenOptions> = {
  ...DEFAULTS,
  maxPending: 64,
  pendingTimeoutMs: 30_000,
  maxPerAddress: 8,
  handshakeFrameBytes: 0,
  handshakeTimeoutMs: 0,
};

/** A listening socket that hands out one Channel per accepted connection. */
export class TcpListener extends QueuedListener {
  constructor(
    server: net.Server,
    private readonly options: Required<ListenOptions>,
    queue: AcceptQueue,
  ) {
    super(server, queue);
    // Under TLS a connection counts against its address from its first byte, so TLS
    // handshakes in progress are bounded too (and each by the server's handshake timeout).
    server.on('connection', (accepted: net.Socket) => {
      const release = this.queue.countAddress(accepted);
      if (release && !(server instanceof tls.Server)) this.admit(accepted, false, release);
    });
    if (server instanceof tls.Server)
      server.on('secureConnection', (accepted: tls.TLSSocket) => this.admit(accepted, true));
  }

  private admit(accepted: net.Socket, secure: boolean, release?: () => void): void {
    if (this.queue.refuseIfFull(accepted)) return;
    const { maxFrameBytes, handshakeFrameBytes } = this.options;
    const reader = new FrameReader(maxFrameBytes, handshakeFrameBytes || maxFrameBytes);
    const socket = secure ? readByEvents(accepted, reader) : adopt(accepted, reader);
    // An adopted socket owns the accepted one's handle, so only it reports the close: the
    // accepted socket's own 'close' never comes, and the address would stay counted forever.
    if (release) socket.once('close', release);
    const transport = new TcpTransport(
      socket,
      reader,
      this.options,
      this.options.handshakeTimeoutMs,
    );
    this.queue.admit({
      channel: new Channel(transport),
      start: () => transport.start(),
      destroy: () => socket.destroy(),
      onClose: (listener) => socket.once('close', listener),
    });
  }
}

/** TLS for a listener: its certificate (chain) and private key, PEM. */
export interface TlsServerOptions {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
}

/** What a listener is beyond its limits: TLS, and a queue shared with another listener. */
export interface ListenSetup {
  /** TLS (for a WebSocket listener, wss): the certificate and key. */
  tls?: TlsServerOptions;
  /**
   * Hand out connections from this listener's queue, under its maxPending, pendingTimeoutMs
   * and maxPerAddress (the new listener's own are unused): a server on TCP and WebSocket has
   * one line of sessions, and a stranger's connections count once over both.
   */
  shareQueueWith?: Listener;
}

/** The queue a new listener hands out from: its own, or the one it shares. */
export function queueFor(setup: ListenSetup, limits: Required<ListenOptions>): AcceptQueue {
  return setup.shareQueueWith ? queueOf(setup.shareQueueWith) : new AcceptQueue(limits);
}

/**
 * Listens on host:port (port 0 picks a free one); with `tls`, every connection is TLS (the
 * limits apply once its TLS handshake is done, which `handshakeTimeoutMs` also bounds).
 */
export async function listen(
  address: TcpAddress,
  options: ListenOptions & ListenSetup = {},
): Promise<TcpListener> {
  const { tls: secure, shareQueueWith, ...rest } = options;
  const resolved = withDefaults<ListenOptions>(rest, LISTEN_DEFAULTS);
  const queue = queueFor({ shareQueueWith }, resolved);
  // Paused, so that no byte is read before adopt() gives the socket its reader.
  const server = secure
    ? tls.createServer({
        cert: toPem(secure.cert),
        key: toPem(secure.key),
        minVersion: 'TLSv1.3',
        noDelay: true,
        handshakeTimeout: resolved.handshakeTimeoutMs || 10_000,
      })
    : net.createServer({ noDelay: true, pauseOnConnect: true });
  // A peer that fails or stalls its TLS handshake never becomes a channel: drop it.
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new ConnectError(
          `${address.host ?? '127.0.0.1'}:${address.port}`,
          `cannot listen: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    server.listen(address.port, address.host ?? '127.0.0.1', () =>
      resolve(new TcpListener(server, resolved, queue)),
    );
  });
}

export function toPem(pem: string | Uint8Array): string {
  return typeof pem === 'string' ? pem : new TextDecoder().decode(pem);
}

/** Options of `connect`. */
export interface ConnectOptions extends TransportOptions {
  /** Give up if the connection is not up within this time. Default 10 s. */
  connectTimeoutMs?: number;
  /**
   * TLS, authenticating the server by the SHA-256 fingerprint of its certificate (hex, colons
   * optional): a self-signed certificate is fine, any other certificate is refused.
   */
  tls?: { readonly pin: string };
}

/** A SHA-256 fingerprint as 64 upper-case hex digits, from hex with or without colons. */
export function normalisePin(pin: string): string {
  const hex = pin.replace(/:/g, '').toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex))
    throw new TypeError(`a certificate pin is 32 bytes of SHA-256 in hex, got '${pin}'`);
  return hex;
}

/** The SHA-256 fingerprint of a certificate's DER bytes, as `connect`'s `tls.pin` takes it. */
export function certificateFingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase();
}

/** Connects to a listening peer. Rejects with ConnectError (refused, unreachable, timeout). */
export function connect(address: TcpAddress, options: ConnectOptions = {}): Promise<Channel> {
  const { connectTimeoutMs = 10_000, tls: secure, ...rest } = options;
  const resolved = withDefaults(rest);
  const host = address.host ?? '127.0.0.1';
  const where = `${host}:${address.port}`;
  const pin = secure ? normalisePin(secure.pin) : null;
  return new Promise((resolve, reject) => {
    const reader = new FrameReader(resolved.maxFrameBytes);
    const socket = pin
      ? readByEvents(
          // The pin is the authentication: no CA chain or name to check.
          tls.connect({
            host,
            port: address.port,
            minVersion: 'TLSv1.3',
            rejectUnauthorized: false,
            servername: net.isIP(host) ? undefined : host,
          }),
          reader,
        )
      : net.connect({ host, port: address.port, noDelay: true, onread: reader.onread });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectError(where, `no answer within ${connectTimeoutMs} ms`));
    }, connectTimeoutMs);
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const hint =
        error.code === 'ECONNREFUSED'
          ? 'connection refused (is the peer listening?)'
          : error.message;
      reject(new ConnectError(where, hint, { cause: error }));
    });
    socket.once(pin ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      if (pin) {
        const certificate = (socket as tls.TLSSocket).getPeerCertificate();
        const got = certificate?.raw ? certificateFingerprint(certificate.raw) : 'none';
        if (got !== pin) {
          socket.destroy();
          reject(
            new ConnectError(where, `the server's certificate ${got} is not the pinned ${pin}`),
          );
          return;
        }
      }
      socket.removeAllListeners('error');
      const transport = new TcpTransport(socket, reader, resolved);
      transport.start();
      resolve(new Channel(transport));
    });
  });
}
