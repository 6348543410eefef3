import { beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import {
  encodeHeader,
  FRAME_HEADER_BYTES,
  type Frame,
  FrameDecoder,
  FrameKind,
  FrameTooLargeError,
  MalformedFrameError,
  seededRandom,
  TransportError,
} from '../src/index.js';

function encode(frames: Frame[]): Uint8Array {
  const parts = frames.flatMap((f) => [encodeHeader(f.kind, f.payload.length), f.payload]);
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The seed of the fuzz case under way, printed when a test fails so it can be replayed. */
let caseSeed = 0;
beforeEach(() => {
  onTestFailed(() => {
    console.error(`failing fuzz case: seed ${caseSeed}`);
  });
});

/** The seeded generator of one fuzz case (the project's PRNG); test code only. */
function rng(seed: number): () => number {
  caseSeed = seed;
  return seededRandom(seed);
}

/** `n` bytes from `random`, so a case's payloads replay with its seed too. */
function randomBytes(n: number, random: () => number): Uint8Array {
  return Uint8Array.from({ length: n }, () => Math.floor(random() * 256));
}

function split(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = 1 + Math.floor(random() * Math.min(64, bytes.length - offset));
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

describe('frame decoder', () => {
  it('decodes any chunking of any frame sequence (fuzz, 300 cases)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const random = rng(seed);
      const frames: Frame[] = Array.from({ length: Math.floor(random() * 8) }, () => ({
        kind: random() < 0.9 ? FrameKind.DATA : FrameKind.ABORT,
        payload: randomBytes(Math.floor(random() * 300), random),
      }));
      const decoder = new FrameDecoder(1 << 20);
      const out = split(encode(frames), random).flatMap((chunk) => decoder.push(chunk));
      expect(out).toEqual(
        frames.map((f) => ({ kind: f.kind, payload: new Uint8Array(f.payload) })),
      );
      expect(decoder.partial).toBeNull();
    }
  });

  it('reports a truncated stream as a partial frame, never as a frame', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = rng(seed);
      const payload = randomBytes(1 + Math.floor(random() * 200), random);
      const bytes = encode([{ kind: FrameKind.DATA, payload }]);
      const cut = Math.floor(random() * bytes.length); // strictly shorter than the frame
      const decoder = new FrameDecoder(1 << 20);
      expect(decoder.push(bytes.subarray(0, cut))).toEqual([]);
      if (cut === 0) expect(decoder.partial).toBeNull();
      else if (cut < FRAME_HEADER_BYTES)
        expect(decoder.partial).toEqual({ received: cut, expected: -1 });
      else
        expect(decoder.partial).toEqual({
          received: cut - FRAME_HEADER_BYTES,
          expected: payload.length,
        });
    }
  });

  it('meets random garbage with frames or a typed error, nothing else (fuzz, 2000 cases)', () => {
    for (let seed = 1; seed <= 2000; seed++) {
      const random = rng(seed);
      const decoder = new FrameDecoder(4096);
      const garbage = randomBytes(Math.floor(random() * 200), random);
      try {
        for (const chunk of split(garbage, random)) decoder.push(chunk);
      } catch (error) {
        expect(error).toBeInstanceOf(TransportError);
      }
    }
  });

  it('rejects an unknown kind and an oversized length from the header alone', () => {
    expect(() => new FrameDecoder(100).push(encodeHeader(7 as FrameKind, 1))).toThrow(
      MalformedFrameError,
    );
    expect(() => new FrameDecoder(100).push(encodeHeader(FrameKind.DATA, 101))).toThrow(
      FrameTooLargeError,
    );
  });

  it('decodes any mix of pushed chunks and payload bytes written in place (fuzz, 200 cases)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const random = rng(seed);
      // Lengths around the spare's 64 KiB threshold, repeated so that spares get used.
      const lengths = [0, 3, 5000, 70_000, 70_000, 2 ** 17];
      const frames: Frame[] = Array.from({ length: 1 + Math.floor(random() * 6) }, () => ({
        kind: FrameKind.DATA,
        payload: randomBytes(lengths[Math.floor(random() * lengths.length)]!, random),
      }));
      const bytes = encode(frames);
      const decoder = new FrameDecoder(1 << 20);
      const out: Frame[] = [];
      for (let offset = 0; offset < bytes.length; ) {
        const size = 1 + Math.floor(random() * 20_000);
        const target = decoder.directTarget(1 + Math.floor(random() * 4096));
        if (target) {
          const take = Math.min(size, target.length);
          target.set(bytes.subarray(offset, offset + take));
          const frame = decoder.advance(take);
          if (frame) out.push(frame);
          offset += take;
        } else {
          out.push(...decoder.push(bytes.subarray(offset, offset + size)));
          offset += size;
        }
      }
      // toEqual walks the payloads element by element; Buffer#equals is a memcmp.
      expect(out.map((f) => f.kind)).toEqual(frames.map((f) => f.kind));
      out.forEach((f, i) => {
        expect(Buffer.from(f.payload).equals(frames[i]!.payload)).toBe(true);
      });
      expect(decoder.partial).toBeNull();
    }
  });

  it('gives every payload its own buffer, also when it reuses a buffer allocated ahead', () => {
    const decoder = new FrameDecoder(1 << 20);
    const payloads: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const length = [2 ** 17, 2 ** 17, 70_000, 9][i % 4]!;
      const frame = encode([{ kind: FrameKind.DATA, payload: new Uint8Array(length).fill(i) }]);
      for (let offset = 0; offset < frame.length; offset += 10_000)
        payloads.push(
          ...decoder.push(frame.subarray(offset, offset + 10_000)).map((f) => f.payload),
        );
    }
    expect(new Set(payloads.map((p) => p.buffer)).size).toBe(40);
    payloads.forEach((payload, i) => {
      expect(payload.buffer.byteLength).toBe(payload.length);
      expect(Buffer.from(payload).equals(Buffer.alloc(payload.length, i))).toBe(true);
    });
  });

  it('hands out aligned payloads', () => {
    const decoder = new FrameDecoder(1 << 20);
    const [frame] = decoder.push(
      encode([{ kind: FrameKind.DATA, payload: randomBytes(24, seededRandom(24)) }]),
    );
    expect(frame!.payload.byteOffset).toBe(0);
    expect(() => new Float64Array(frame!.payload.buffer)).not.toThrow();
  });
});
