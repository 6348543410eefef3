/**
 * The session handshake: each party states its protocol version and the session parameters
 * that must agree (bit width, scale, model digest, ...). Both compare, so a mismatch rejects
 * on both sides with a HandshakeError naming the first differing field.
 */
import type { Channel } from './channel.js';
import { HandshakeError, MalformedFrameError } from './errors.js';

const MAGIC = 'secinfer-handshake';
/** Longest hello parsed: a version and a few scalars fit many times over; more is not a peer. */
export const MAX_HELLO_BYTES = 4 * 2 ** 10;

/** One scalar per named parameter; compare digests (e.g. a model hash) as strings. */
export type SessionParams = Record<string, string | number | boolean>;

export interface HandshakeOptions {
  /** The protocol version this side speaks. */
  version: string;
  /** Parameters both parties must hold identically. */
  params?: SessionParams;
}

/**
 * Exchanges versions and parameters; resolves when they agree (and lifts the transport's
 * pre-handshake limits), rejects on both sides if not. A hello over MAX_HELLO_BYTES is refused
 * unparsed.
 */
export async function handshake(
  channel: Channel,
  { version, params = {} }: HandshakeOptions,
): Promise<void> {
  const hello = { magic: MAGIC, version, params };
  await channel.send(new TextEncoder().encode(JSON.stringify(hello)));
  const reply = await channel.recv();
  if (reply.length > MAX_HELLO_BYTES)
    throw new MalformedFrameError(
      `the peer's handshake has ${reply.length} bytes, over ${MAX_HELLO_BYTES}`,
    );
  let peer: { magic?: unknown; version?: unknown; params?: unknown };
  try {
    peer = JSON.parse(new TextDecoder().decode(reply));
  } catch {
    throw new MalformedFrameError('the peer did not open with a secinfer handshake');
  }
  if (peer?.magic !== MAGIC || typeof peer.params !== 'object' || peer.params === null) {
    throw new MalformedFrameError('the peer did not open with a secinfer handshake');
  }
  if (peer.version !== version) throw new HandshakeError('version', version, peer.version);
  const remote = peer.params as SessionParams;
  const fields = [...new Set([...Object.keys(params), ...Object.keys(remote)])].sort();
  for (const field of fields) {
    if (params[field] !== remote[field])
      throw new HandshakeError(field, params[field], remote[field]);
  }
  channel.established();
}
