/**
 * Typed transport errors. Every failure a channel can meet ends in one of these, with a
 * message that says what happened and where, so callers can tell a dead peer from a bug.
 */

/** What went wrong, machine-readable. */
export type TransportErrorCode =
  | 'PEER_CLOSED'
  | 'PEER_ABORTED'
  | 'CHANNEL_CLOSED'
  | 'FRAME_TOO_LARGE'
  | 'MALFORMED_FRAME'
  | 'UNEXPECTED_LENGTH'
  | 'CONNECT_FAILED'
  | 'TIMEOUT'
  | 'HANDSHAKE_MISMATCH';

/** Base class of every error thrown by @secinfer/transport. */
export class TransportError extends Error {
  readonly code: TransportErrorCode;
  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransportError';
    this.code = code;
  }
}

/** The peer closed the connection (cleanly or not), possibly in the middle of a message. */
export class PeerClosedError extends TransportError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PEER_CLOSED', message, options);
    this.name = 'PeerClosedError';
  }
}

/**
 * The peer gave up and said why as a code (`UNEXPECTED_LENGTH`, `HANDSHAKE_MISMATCH`, ...):
 * only a code crosses the wire; the details stay in the peer's own log.
 */
export class PeerAbortedError extends TransportError {
  readonly reason: string;
  constructor(reason: string) {
    super('PEER_ABORTED', `peer aborted the session: ${reason}`);
    this.name = 'PeerAbortedError';
    this.reason = reason;
  }
}

/** This side already closed or aborted the channel and then tried to use it. */
export class ChannelClosedError extends TransportError {
  constructor(message = 'channel is closed') {
    super('CHANNEL_CLOSED', message);
    this.name = 'ChannelClosedError';
  }
}

/** A frame longer than the configured maximum, on either side. */
export class FrameTooLargeError extends TransportError {
  /** The frame's length; undefined where the transport refused it without saying (WebSocket). */
  readonly length: number | undefined;
  readonly maxFrameBytes: number;
  constructor(length: number | undefined, maxFrameBytes: number, where: 'send' | 'receive') {
    super(
      'FRAME_TOO_LARGE',
      `${where === 'send' ? 'refusing to send' : 'peer sent'} a frame ${length === undefined ? '' : `of ${length} bytes, `}` +
        `over the maximum of ${maxFrameBytes} (raise maxFrameBytes on both sides, or split the message)`,
    );
    this.name = 'FrameTooLargeError';
    this.length = length;
    this.maxFrameBytes = maxFrameBytes;
  }
}

/** Bytes on the wire that are not a frame of this protocol. */
export class MalformedFrameError extends TransportError {
  constructor(message: string) {
    super('MALFORMED_FRAME', message);
    this.name = 'MalformedFrameError';
  }
}

/**
 * A message of another length than the receiver expected: the two parties disagree on a
 * count, a width or a parameter. Raised at once instead of misreading the stream.
 */
export class UnexpectedLengthError extends TransportError {
  readonly expected: number;
  readonly actual: number;
  constructor(expected: number, actual: number, label?: string) {
    super(
      'UNEXPECTED_LENGTH',
      `expected a message of ${expected} bytes${label ? ` (${label})` : ''} but the peer sent ` +
        `${actual}: the parties disagree on a count or width`,
    );
    this.name = 'UnexpectedLengthError';
    this.expected = expected;
    this.actual = actual;
  }
}

/** Could not connect (refused, unreachable, or no answer in time). */
export class ConnectError extends TransportError {
  readonly address: string;
  constructor(address: string, message: string, options?: { cause?: unknown }) {
    super('CONNECT_FAILED', `cannot connect to ${address}: ${message}`, options);
    this.name = 'ConnectError';
    this.address = address;
  }
}

/**
 * Nothing arrived (or nothing drained) within the idle timeout, or a deadline passed (the
 * session's, the handshake's, a queued connection's).
 */
export class TimeoutError extends TransportError {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number, kind: 'idle' | 'deadline' = 'idle') {
    super(
      'TIMEOUT',
      kind === 'idle'
        ? `${what}: nothing happened for ${timeoutMs} ms (idle timeout)`
        : `${what}: the limit is ${timeoutMs} ms`,
    );
    this.name = 'TimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/** The two parties started with different protocol versions or session parameters. */
export class HandshakeError extends TransportError {
  readonly field: string;
  readonly local: unknown;
  readonly remote: unknown;
  constructor(field: string, local: unknown, remote: unknown) {
    super(
      'HANDSHAKE_MISMATCH',
      `session parameter '${field}' differs: this side has ${JSON.stringify(local)}, ` +
        `the peer has ${JSON.stringify(remote)}`,
    );
    this.name = 'HandshakeError';
    this.field = field;
    this.local = local;
    this.remote = remote;
  }
}
