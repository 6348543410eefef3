/**
 * @secinfer/transport/core — everything but the sockets: the channel and its counters, the
 * typed errors, the wire format, the handshake, the link probe and simulation, in-memory
 * pairs. It imports no Node module, so the packages that run a protocol over a Channel (and
 * a browser bundle of them) depend on this entry, never on TCP or `ws`.
 * @module
 */

/** What `listen` and `listenWebSocket` return. */
export type { Listener } from './accept-queue.js';
/** A two-party message channel with byte, message and round counters per phase. */
export { Channel, type Counters, type Transport, type TypedArrayConstructor } from './channel.js';
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
/** The stream wire format (5-byte header per message) and its incremental decoder. */
export {
  abortCode,
  encodeHeader,
  FRAME_HEADER_BYTES,
  type Frame,
  FrameDecoder,
  FrameKind,
} from './framing.js';
/** Version and session-parameter agreement at the start of a session. */
export {
  type HandshakeOptions,
  handshake,
  MAX_HELLO_BYTES,
  type SessionParams,
} from './handshake.js';
/** Bandwidth and latency simulation: Cheetah's LAN and WAN presets, and CrypTFlow2's. */
export {
  isLinkPreset,
  LINK_PRESETS,
  type LinkPreset,
  type LinkProfile,
  simulateLink,
} from './link.js';
/** Two connected in-memory channels, for tests and single-process runs. */
export { memoryPair } from './memory.js';
/** Limits and timeouts every transport accepts. */
export type { TransportOptions } from './options.js';
/** Round-trip time and bandwidth measured at session start, the same figures on both sides. */
export { type LinkFigures, probeLinkFollow, probeLinkLead } from './probe.js';
/** The one seeded, non-cryptographic PRNG (tests, synthetic weights and inputs) and test seeds. */
export { seededRandom, testSeed } from './seeded-random.js';
/** The close code that carries an abort over WebSocket. */
export { ABORT_CLOSE_CODE } from './websocket-transport.js';
/** One turn of the event loop (Node's setImmediate, a MessageChannel message in a browser). */
export { yieldToEventLoop } from './yield.js';
