/**
 * @secinfer/transport/websocket — the browser's client: a channel to a secinfer WebSocket
 * listener over the global `WebSocket`, with the socket-free core around it (the channel,
 * its errors, the handshake). Nothing here imports a Node module.
 * @module
 */

export * from './core.js';
/** WebSocket channels: connect from a browser (or with any WebSocket class). */
export {
  connectWebSocket,
  type WebSocketConnectOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket-transport.js';
