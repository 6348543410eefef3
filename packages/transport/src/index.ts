/**
 * @secinfer/transport — full-duplex two-party message channels with exact cost counters: the
 * socket-free core (`@secinfer/transport/core`) and, on Node, TCP and WebSocket listeners and
 * clients.
 * @module
 */

export * from './core.js';
/** TCP channels, plain or TLS (pinned): listen/accept (with the limits a public server needs) and connect. */
export {
  type ConnectOptions,
  certificateFingerprint,
  connect,
  type ListenOptions,
  type ListenSetup,
  listen,
  type TcpAddress,
  TcpListener,
  type TlsServerOptions,
} from './tcp.js';
/**
 * WebSocket channels on Node: a listener (ws and wss, with `listen`'s limits, plain HTTP
 * requests to a handler or 426) and a client that pins a wss certificate; browsers use
 * `@secinfer/transport/websocket`.
 */
export {
  connectWebSocket,
  type HttpRequestHandler,
  listenWebSocket,
  type NodeWebSocketConnectOptions,
  WebSocketListener,
  type WebSocketListenSetup,
} from './websocket-node.js';
