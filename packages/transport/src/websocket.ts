/**
 * @secinfer/transport/websocket — the browser's client: a channel to a secinfer WebSocket
 * listener over the global `WebSocket`, and what a client needs around it (the channel, its
 * errors, the handshake). Nothing here imports a Node module.
 * @module
 */

/** A two-party message channel with byte, message and round counters per phase. */
export { Channel, type Counters, type TypedArrayConstructor } from './channel.js';
/** Every typed error a channel can reject with. */
export {
  ChannelClosedError,
  ConnectError,
  FrameTooLargeError,
  HandshakeError,
  MalformedFrameError,
  PeerAbortedError,
  PeerClosedError,
  TimeoutError,
  TransportError,
  type TransportErrorCode,
  UnexpectedLengthError,
} from './errors.js';
/** Version and session-parameter agreement at the start of a session. */
export { type HandshakeOptions, handshake, type SessionParams } from './handshake.js';
/** Limits and timeouts every transport accepts. */
export type { TransportOptions } from './options.js';
/** Round-trip time and bandwidth measured at session start, the same figures on both sides. */
export { type LinkFigures, probeLinkFollow, probeLinkLead } from './probe.js';
/** WebSocket channels: connect from a browser (or with any WebSocket class). */
export {
  ABORT_CLOSE_CODE,
  connectWebSocket,
  type WebSocketConnectOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket-transport.js';
