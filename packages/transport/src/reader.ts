/**
 * Reads frames off a TCP socket with as few copies as Node allows. Through the socket's
 * `onread` option the kernel writes headers and small frames into one reused staging buffer,
 * and a large payload straight into the message's own buffer once its header is known — so a
 * 1 MiB message costs no user-space copy and no per-read 64 KiB buffer for the GC (the
 * default 'data' path allocates one per read, and the copy into the message came on top).
 */
import net from 'node:net';
import type { TransportError } from './errors.js';
import { type Frame, FrameDecoder } from './framing.js';

/** Bytes per read while headers and small frames arrive (Node's own read size). */
const STAGING_BYTES = 64 * 2 ** 10;
/**
 * A payload with at least this much left is read in place. The last few KiB go through
 * staging instead, where the same read also picks up the next header.
 */
const DIRECT_READ_MIN_BYTES = 4 * 2 ** 10;

/** Where a reader hands what it read. Set by the transport before the socket can read. */
export interface FrameSink {
  /** The frames one read of `bytes` bytes completed (often none). */
  frames(frames: Frame[], bytes: number): void;
  /** The stream cannot be a frame stream (malformed or oversized frame). */
  malformed(error: TransportError): void;
}

/** Decodes what a socket reads into frames for its sink, choosing where each read lands. */
export class FrameReader {
  readonly decoder: FrameDecoder;
  sink: FrameSink | null = null;
  /** For net.Socket's `onread`: where the next read goes, and what it brought. */
  readonly onread: net.OnReadOpts;
  private readonly staging = new Uint8Array(STAGING_BYTES);

  /** `firstFrameMaxBytes` bounds the first frame (a hello) alone; see FrameDecoder. */
  constructor(maxFrameBytes: number, firstFrameMaxBytes?: number) {
    this.decoder = new FrameDecoder(maxFrameBytes, firstFrameMaxBytes);
    this.onread = {
      buffer: () => this.decoder.directTarget(DIRECT_READ_MIN_BYTES) ?? this.staging,
      callback: (bytes, buffer) => {
        this.received(bytes, buffer);
        // Never false (which stops reading behind the stream's back): backpressure calls
        // socket.pause(), so isPaused() tells the truth when the inbox drains.
        return true;
      },
    };
  }

  /** A chunk that arrived by other means than `onread` (the 'data' event). */
  push(chunk: Uint8Array): void {
    this.deliver(() => this.decoder.push(chunk), chunk.length);
  }

  private received(bytes: number, buffer: Uint8Array): void {
    if (buffer === this.staging) {
      this.push(buffer.subarray(0, bytes));
      return;
    }
    this.deliver(() => {
      const frame = this.decoder.advance(bytes);
      return frame ? [frame] : [];
    }, bytes);
  }

  private deliver(decode: () => Frame[], bytes: number): void {
    let frames: Frame[];
    try {
      frames = decode();
    } catch (error) {
      this.sink!.malformed(error as TransportError);
      return;
    }
    this.sink!.frames(frames, bytes);
  }
}

/**
 * An accepted connection as a socket that reads through `reader`. Node takes `onread` only
 * when it creates a socket, not from a server, so the accepted socket's handle moves into a
 * new Socket; the server must accept paused (`pauseOnConnect`) so nothing reads before. The
 * old Socket object is destroyed once the new one closes, which only settles the server's
 * connection count (its handle is closed by then). Where the handle is not reachable, the
 * socket reads through 'data' events and one copy per chunk. Either way it stays paused (not
 * reading: a queued connection costs no buffer) until the transport resumes it.
 */
export function adopt(accepted: net.Socket, reader: FrameReader): net.Socket {
  const handle = (accepted as unknown as { _handle?: object })._handle;
  if (!handle) return readByEvents(accepted, reader);
  const socket = new net.Socket({
    handle,
    onread: reader.onread,
    readable: true,
    writable: true,
    pauseOnCreate: true,
  } as net.SocketConstructorOpts);
  socket.once('close', () => accepted.destroy());
  return socket;
}

/**
 * `socket` read through 'data' events into `reader`, paused until the transport resumes it:
 * for sockets whose bytes do not come straight from the kernel (TLS decrypts them first).
 */
export function readByEvents(socket: net.Socket, reader: FrameReader): net.Socket {
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  socket.pause();
  return socket;
}
