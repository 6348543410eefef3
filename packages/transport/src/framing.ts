/**
 * The wire format of stream transports (TCP, and later WebSocket-free streams): a 5-byte
 * header — kind (u8) and payload length (u32, little-endian) — then the payload. Framing
 * lets a receiver check a message's length against what it expects, so two parties that
 * disagree on a size fail at once instead of misreading the stream. Pure functions only.
 */
import { FrameTooLargeError, MalformedFrameError } from './errors.js';

/** Header bytes per frame on stream transports. */
export const FRAME_HEADER_BYTES = 5;

/** Frame kinds. DATA carries a message; ABORT carries the peer's reason (UTF-8) for giving up. */
export const FrameKind = { DATA: 0, ABORT: 1 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

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
 * Incremental frame decoder: push byte chunks as they arrive, take complete frames out.
 * Each payload is one fresh, 8-byte-aligned buffer, so typed-array views need no copy.
 * Throws MalformedFrameError / FrameTooLargeError on input that cannot be a frame stream.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private kind: FrameKind = FrameKind.DATA;
  private payload: Uint8Array | null = null;
  private payloadFill = 0;

  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes;
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

  private startPayload(): void {
    const kind = this.header[0]!;
    if (kind !== FrameKind.DATA && kind !== FrameKind.ABORT) {
      throw new MalformedFrameError(`unknown frame kind ${kind} (not a secinfer peer?)`);
    }
    const length = new DataView(this.header.buffer).getUint32(1, true);
    if (length > this.maxFrameBytes)
      throw new FrameTooLargeError(length, this.maxFrameBytes, 'receive');
    this.kind = kind;
    // Unpooled and uninitialised: it starts at offset 0 of its own ArrayBuffer (so any
    // typed-array view is aligned), and is not zero-filled only to be overwritten. Handed out
    // as a plain Uint8Array, not a Buffer: Buffer#slice returns a view, not a copy, and code
    // written against Uint8Array (as the in-memory channel delivers) must see the same type.
    const memory = Buffer.allocUnsafeSlow(length);
    this.payload = new Uint8Array(memory.buffer, memory.byteOffset, length);
    this.payloadFill = 0;
  }

  private finish(): Frame {
    const frame = { kind: this.kind, payload: this.payload! };
    this.payload = null;
    this.headerFill = 0;
    return frame;
  }
}
