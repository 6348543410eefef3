// The page's connection to a secinfer server: a WebSocket channel that opens within a time
// limit, then the server's model card, also within one (a server with every slot taken keeps a
// new connection queued, unread), so that nothing the server does or fails to do leaves the
// page waiting for ever. The session after the card is the command's (@secinfer/demo/client).
import { type ModelCard, receiveCard } from '@secinfer/demo/client';
import { type Channel, connectWebSocket, TimeoutError } from '@secinfer/transport/websocket';

/** The WebSocket must open within this time. */
export const CONNECT_TIMEOUT_MS = 10_000;
/**
 * The card must arrive within this time: a queued connection waits at most the server's
 * --pending-timeout (30 s by default), then its card comes or it is closed.
 */
export const CARD_TIMEOUT_MS = 60_000;

/** A connection to a server, with the card it sent first. */
export interface Connected {
  readonly channel: Channel;
  readonly card: ModelCard;
}

/** Connects to `url` (ws:// or wss://) and reads the model card. */
export async function connectToServer(url: string): Promise<Connected> {
  const channel = await connectWebSocket(url, { connectTimeoutMs: CONNECT_TIMEOUT_MS });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      channel.abort('TIMEOUT');
      reject(new TimeoutError('waiting for the model card', CARD_TIMEOUT_MS, 'deadline'));
    }, CARD_TIMEOUT_MS);
  });
  try {
    return { channel, card: await Promise.race([receiveCard(channel), timeout]) };
  } catch (e) {
    channel.abort((e as { code?: string }).code ?? 'INTERNAL');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
