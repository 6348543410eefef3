/**
 * WebSocket channels on Node: a listener for browser and Node clients, with the limits a TCP
 * listener has (ListenOptions) and TLS (wss) from the same certificate options, and a Node
 * client that pins the server's certificate as the TCP client does. Both run on `ws`; the
 * channel itself is the browser's (websocket-transport.ts).
 */
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import tls from 'node:tls';
import { type ClientOptions, WebSocket, WebSocketServer } from 'ws';
import { type AcceptQueue, QueuedListener } from './accept-queue.js';
import { Channel } from './channel.js';
import { ConnectError } from './errors.js';
import { withDefaults } from './options.js';
import {
  certificateFingerprint,
  LISTEN_DEFAULTS,
  type ListenOptions,
  type ListenSetup,
  normalisePin,
  queueFor,
  type TcpAddress,
  toPem,
} from './tcp.js';
import {
  channelWhenOpen,
  type WebSocketConnectOptions,
  type WebSocketLike,
  WebSocketTransport,
} from './websocket-transport.js';

/** What answers an HTTP request that is no WebSocket upgrade (a page beside the endpoint). */
export type HttpRequestHandler = (
  request: http.IncomingMessage,
  response: http.ServerResponse,
) => void;

/** The default answer to a plain HTTP request: 426, this port speaks WebSocket only. */
function upgradeRequired(_request: http.IncomingMessage, response: http.ServerResponse): void {
  response.writeHead(426, { connection: 'close', upgrade: 'websocket' });
  response.end('a secinfer WebSocket endpoint\n');
}

/** What `listenWebSocket` takes besides the limits. */
export interface WebSocketListenSetup extends ListenSetup {
  /**
   * Answers plain HTTP requests (GET of a page served from the same origin); upgrade requests
   * still go to the listener's queue. Default: 426 to every one.
   */
  onRequest?: HttpRequestHandler;
}

/** A WebSocket (or, with TLS, wss) server that hands out one Channel per connection. */
export class WebSocketListener extends QueuedListener {
  private readonly sockets: WebSocketServer;

  constructor(
    server: http.Server,
    private readonly options: Required<ListenOptions>,
    queue: AcceptQueue,
    onRequest: HttpRequestHandler = upgradeRequired,
  ) {
    super(server, queue);
    this.sockets = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      perMessageDeflate: false,
      maxPayload: options.maxFrameBytes,
    });
    // Counted from the first byte, so TLS and HTTP handshakes in progress are bounded too.
    server.on('connection', (socket: net.Socket) => void this.queue.countAddress(socket));
    server.on('request', onRequest);
    server.on('upgrade', (request: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      if (this.queue.refuseIfFull(socket)) return;
      this.sockets.handleUpgrade(request, socket, head, (ws) => this.admit(ws, socket));
    });
  }

  private admit(ws: WebSocket, socket: net.Socket): void {
    // Paused until accept(): nothing is read from a queued connection.
    ws.pause();
    const { handshakeTimeoutMs, handshakeFrameBytes, maxFrameBytes } = this.options;
    const transport = new WebSocketTransport(ws as unknown as WebSocketLike, this.options, {
      remoteAddress: `${socket.remoteAddress}:${socket.remotePort}`,
      handshakeTimeoutMs,
      firstFrameMaxBytes: handshakeFrameBytes || maxFrameBytes,
    });
    socket.on('data', (chunk: Buffer) => transport.bytesArrived(chunk.length));
    this.queue.admit({
      channel: new Channel(transport),
      start: () => transport.start(),
      destroy: () => ws.terminate(),
      onClose: (listener) => socket.once('close', listener),
    });
  }
}

/**
 * Listens for WebSocket clients on host:port (port 0 picks a free one), with the limits of
 * `listen`; with `tls`, wss (TLS 1.3); with `shareQueueWith`, in another listener's queue. A
 * request that is no WebSocket upgrade goes to `onRequest`, or gets 426 without one.
 */
export async function listenWebSocket(
  address: TcpAddress,
  options: ListenOptions & WebSocketListenSetup = {},
): Promise<WebSocketListener> {
  const { tls: secure, shareQueueWith, onRequest, ...rest } = options;
  const resolved = withDefaults<ListenOptions>(rest, LISTEN_DEFAULTS);
  const queue = queueFor({ shareQueueWith }, resolved);
  const handshakeTimeout = resolved.handshakeTimeoutMs || 10_000;
  // An upgrade request's headers within the handshake's time, or the connection is dropped
  // (checked every second, not every 30 s as by default).
  const http1 = {
    noDelay: true,
    headersTimeout: handshakeTimeout,
    connectionsCheckingInterval: Math.min(1000, handshakeTimeout),
  };
  const server = secure
    ? https.createServer({
        ...http1,
        cert: toPem(secure.cert),
        key: toPem(secure.key),
        minVersion: 'TLSv1.3',
        handshakeTimeout,
      })
    : http.createServer(http1);
  server.on('tlsClientError', (_error: Error, socket: net.Socket) => socket.destroy());
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
      resolve(new WebSocketListener(server, resolved, queue, onRequest)),
    );
  });
}

/** Options of the Node `connectWebSocket`. */
export interface NodeWebSocketConnectOptions extends Omit<WebSocketConnectOptions, 'WebSocket'> {
  /** For wss://: accept only the server certificate with this SHA-256 fingerprint (as `connect`). */
  tls?: { readonly pin: string };
}

/**
 * Connects to a WebSocket listener at a ws:// or wss:// URL from Node. A wss:// URL needs
 * `tls.pin`: the pin is the authentication, so a self-signed certificate serves. Rejects with
 * ConnectError (refused, unreachable, wrong certificate, timeout).
 */
export function connectWebSocket(
  url: string,
  options: NodeWebSocketConnectOptions = {},
): Promise<Channel> {
  const { tls: secure, connectTimeoutMs = 10_000, ...rest } = options;
  const secureUrl = url.startsWith('wss:');
  if (secureUrl !== (secure !== undefined))
    return Promise.reject(
      new ConnectError(url, secureUrl ? 'wss:// needs a certificate pin' : 'a pin needs wss://'),
    );
  const pin = secure ? normalisePin(secure.pin) : null;
  const resolved = withDefaults(rest);
  let socket: WebSocket;
  try {
    socket = new WebSocket(url, {
      maxPayload: resolved.maxFrameBytes,
      perMessageDeflate: false,
      handshakeTimeout: connectTimeoutMs,
      ...(pin ? { createConnection: pinned(pin) } : {}),
    });
  } catch (error) {
    return Promise.reject(new ConnectError(url, (error as Error).message, { cause: error }));
  }
  let raw: net.Socket | null = null;
  socket.once('upgrade', (response: http.IncomingMessage) => {
    raw = response.socket;
  });
  return channelWhenOpen(socket as unknown as WebSocketLike, url, {
    connectTimeoutMs,
    ...rest,
  }).then((channel) => {
    const transport = channel.transport as WebSocketTransport;
    raw?.on('data', (chunk: Buffer) => transport.bytesArrived(chunk.length));
    return channel;
  });
}

/** A TLS connection that fails unless the server's certificate has fingerprint `pin`. */
function pinned(pin: string): ClientOptions['createConnection'] {
  // ws calls it with the options of a TLS connection (its types say net's).
  return (options: unknown) => {
    // The pin is the authentication: no CA chain or name to check.
    const socket = tls.connect({
      ...(options as tls.ConnectionOptions),
      minVersion: 'TLSv1.3',
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      const certificate = socket.getPeerCertificate();
      const got = certificate?.raw ? certificateFingerprint(certificate.raw) : 'none';
      if (got !== pin)
        socket.destroy(new Error(`the server's certificate ${got} is not the pinned ${pin}`));
    });
    return socket;
  };
}
