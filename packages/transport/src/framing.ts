/**
 * The wire format of stream transports (TCP, and later WebSocket-free streams): a 5-byte
 * header — kind (u8) and payload length (u32, little-endian) — then the payload. Framing
 * lets a receiver check a message's length against what it expects, so two parties that
 * disagree on a size fail at once instead of misreading the stream. No I/O here.
 */
import { FrameTooLargeError, MalformedFrameError } from './errors.js';

/** Header bytes per frame on stream transports. */
export const FRAME_HEADER_BYTES = 5;

/**
 * Frame kinds. DATA carries a message; ABORT carries the code (ASCII, e.g. `UNEXPECTED_LENGTH`)
 * of the peer's reason for giving up — only the code, as the reason's text may hold secrets.
 */
export const FrameKind = { DATA: 0, ABORT: 1 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

/** What an abort code looks like: upper-case ASCII words joined by underscores. */
const ABORT_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

/** The code an ABORT frame carries for `reason`: itself if it is a code, else `INTERNAL`. */
export function abortCode(reason: string): string {
  return ABORT_CODE.test(reason) ? reason : 'INTERNAL';
}

/** The code in a received ABORT payload, `MALFORMED_ABORT` when it is not one. */
export function decodeAbortCode(payload: Uint8Array): string {
  const text = new TextDecoder().decode(payload);
  return ABORT_CODE.test(text) ? text : 'MALFORMED_ABORT';
}

export interface Frame {
  kind: FrameKind;
  payload: Uint8Array;
}

/** The header of a frame with `length` payload bytes. */
export function encodeHeader(kind: FrameKind, length: number): Uint8Array {
  const header = new Uint8Array(FRAME_HEADER_BYTES);
  header[0] = kind;
  new DataView(header.buffer).setUint32(1, length, true);
  return header;
}

/**
 * Payloads from this size up get their next buffer allocated ahead (see FrameDecoder): below
 * it, malloc serves them from its free lists and a copy out of the read buffer is cheap.
 */
const SPARE_MIN_BYTES = 64 * 2 ** 10;
/** Above this, malloc maps every block fresh from the kernel, so a spare would only hold memory. */
const SPARE_MAX_BYTES = 32 * 2 ** 20;

/**
 * Incremental frame decoder: push byte chunks as they arrive, take complete frames out — or
 * let a reader write a large payload in place (`directTarget` / `advance`), with no copy.
 * Each payload is one fresh, 8-byte-aligned buffer, so typed-array views need no copy.
 * Throws MalformedFrameError / FrameTooLargeError on input that cannot be a frame stream.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  // The first frame's own limit: a server's peer opens with a small hello, so anything longer
  // is refused before a byte of it is buffered.
  private readonly firstFrameMaxBytes: number;
  private first = true;
  private header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private kind: FrameKind = FrameKind.DATA;
  private payload: Uint8Array | null = null;
  private payloadFill = 0;
  // A buffer for the next payload of the last large payload's length, allocated as soon as
  // that one completes. Without it a fresh buffer per message costs a page fault per 4 KiB:
  // when a GC frees the delivered messages and nothing live lies above them in the heap,
  // malloc returns that memory to the kernel and the next messages fault it in again
  // (measured over TCP: nearly every page of 4 GiB of 1 MiB messages). The spare exists
  // before the event loop runs that GC, so it lies above them and the freed memory is reused
  // (typically 5–10% of the pages fault). Never handed out twice: the payload that takes it
  // drops the reference, and a frame of another length leaves it to be replaced.
  private spare: Uint8Array | null = null;

  constructor(maxFrameBytes: number, firstFrameMaxBytes = maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    this.firstFrameMaxBytes = Math.min(firstFrameMaxBytes, maxFrameBytes);
  }

  /** Bytes of the frame in progress (header included), and its announced payload length. */
  get partial(): { received: number; expected: number } | null {
    if (this.headerFill === 0 && this.payload === null) return null;
    if (this.payload === null) return { received: this.headerFill, expected: -1 };
    return { received: this.payloadFill, expected: this.payload.length };
  }

  /** Feeds a chunk; returns the frames it completed, in order. */
  push(chunk: Uint8Array): Frame[] {
    const frames: Frame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.payload === null) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, chunk.length - offset);
        this.header.set(chunk.subarray(offset, offset + take), this.headerFill);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < FRAME_HEADER_BYTES) break;
        this.startPayload();
        if (this.payload!.length === 0) frames.push(this.finish());
        continue;
      }
      const payload = this.payload;
      const take = Math.min(payload.length - this.payloadFill, chunk.length - offset);
      payload.set(chunk.subarray(offset, offset + take), this.payloadFill);
      this.payloadFill += take;
      offset += take;
      if (this.payloadFill === payload.length) frames.push(this.finish());
    }
    return frames;
  }

  /**
   * The unfilled rest of the payload in progress, when at least `minBytes` of it remain: a
   * reader may write there directly, then call `advance`. Null while a header is due.
   */
  directTarget(minBytes: number): Uint8Array | null {
    const payload = this.payload;
    if (payload === null || payload.length - this.payloadFill < minBytes) return null;
    return payload.subarray(this.payloadFill);
  }

  /** Accounts for `bytes` written into `directTarget()`; returns the frame they completed. */
  advance(bytes: number): Frame | null {
    this.payloadFill += bytes;
    return this.payloadFill === this.payload!.length ? this.finish() : null;
  }

  /** Drops the buffer allocated ahead for a next frame: the stream has ended. */
  end(): void {
    this.spare = null;
  }

  private startPayload(): void {
    const kind = this.header[0]!;
    if (kind !== FrameKind.DATA && kind !== FrameKind.ABORT) {
      throw new MalformedFrameError(`unknown frame kind ${kind} (not a secinfer peer?)`);
    }
    const length = new DataView(this.header.buffer).getUint32(1, true);
    const limit = this.first ? this.firstFrameMaxBytes : this.maxFrameBytes;
    if (length > limit) throw new FrameTooLargeError(length, limit, 'receive');
    this.first = false;
    this.kind = kind;
    if (this.spare?.length === length) {
      this.payload = this.spare;
      this.spare = null;
    } else {
      this.payload = allocatePayload(length);
    }
    this.payloadFill = 0;
  }

  private finish(): Frame {
    const frame = { kind: this.kind, payload: this.payload! };
    const length = frame.payload.length;
    if (length >= SPARE_MIN_BYTES && length <= SPARE_MAX_BYTES)
      this.spare = allocatePayload(length);
    this.payload = null;
    this.headerFill = 0;
    return frame;
  }
}

// Unpooled and, on Node, uninitialised: it starts at offset 0 of its own ArrayBuffer (so any
// typed-array view is aligned), and is not zero-filled only to be overwritten. Handed out as a
// plain Uint8Array, not a Buffer: Buffer#slice returns a view, not a copy, and code written
// against Uint8Array (as the in-memory channel delivers) must see the same type. Elsewhere
// (a browser has no Buffer) a zero-filled array.
function allocatePayload(length: number): Uint8Array {
  if (typeof Buffer === 'undefined') return new Uint8Array(length);
  const memory = Buffer.allocUnsafeSlow(length);
  return new Uint8Array(memory.buffer, memory.byteOffset, length);
}
