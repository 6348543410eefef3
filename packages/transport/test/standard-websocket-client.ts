// A client of @secinfer/transport/websocket on the standard WebSocket class — the one browsers
// have (Node's own, behind --experimental-websocket on Node 20) — run as a child process by
// websocket.test.ts: it holds the browser entry to the standard's rules (close codes, reasons,
// binary types), which the `ws` package does not all enforce. It completes a handshake, echoes
// one message, then expects 7 bytes and so aborts when it gets 8; it prints its counters.
import { connectWebSocket, handshake } from '../src/websocket.js';

const channel = await connectWebSocket(process.argv[2]!);
await handshake(channel, { version: 'v', params: { ell: 32 } });
await channel.send(await channel.recv());
const stats = channel.stats;
const error = await channel.recv(7).catch((e: { code: string }) => e.code);
process.stdout.write(JSON.stringify({ stats, error, remoteAddress: channel.remoteAddress }));
