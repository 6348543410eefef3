// A Transport that hangs up after its k-th message: the frames sent so far leave whole, then
// the connection closes as a process that dies between two messages would close it. With no
// limit it only counts, and labels each message it sends (with what the session was doing) so
// a test can choose where to cut.
import { Channel, type Transport } from '@secinfer/transport';

export class CutTransport implements Transport {
  /** What was going on at each send, in order (the label given by `doing` then). */
  readonly sends: string[] = [];
  /** When the connection was cut (performance.now()), or null. */
  cutAt: number | null = null;
  /** What the session is doing now: set by the test (from the executor's step events). */
  doing = 'handshake and setup';

  constructor(
    private readonly inner: Transport,
    private readonly limit = Infinity,
  ) {
    if (limit === 0) this.cut();
  }

  get maxFrameBytes(): number {
    return this.inner.maxFrameBytes;
  }

  get remoteAddress(): string | undefined {
    return this.inner.remoteAddress;
  }

  async write(message: Uint8Array): Promise<void> {
    this.sends.push(this.doing);
    const written = this.inner.write(message);
    if (this.sends.length === this.limit) this.cut();
    await written;
  }

  read(): Promise<Uint8Array> {
    return this.inner.read();
  }

  abort(code: string): void {
    this.inner.abort(code);
  }

  established(): void {
    this.inner.established?.();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private cut(): void {
    this.cutAt = performance.now();
    void this.inner.close();
  }
}

/** `channel` re-made over a CutTransport that hangs up after `limit` sends. */
export function cutAfter(
  channel: Channel,
  limit = Infinity,
): { channel: Channel; cut: CutTransport } {
  const cut = new CutTransport(channel.transport, limit);
  return { channel: new Channel(cut), cut };
}
