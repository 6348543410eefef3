/**
 * Two parties, one OT setup, three kinds of OT. Run both in one process:
 *   node --import tsx examples/two-party.ts
 * or as two processes over TCP:
 *   node --import tsx examples/two-party.ts server 7000 &
 *   node --import tsx examples/two-party.ts client 7000
 */
import { type Channel, connect, listen, memoryPair } from '@secinfer/transport';
import { CLIENT, OtPack, type Party, SERVER } from '../src/index.js';

const n = 1000;

async function run(party: Party, channel: Channel): Promise<void> {
  const ot = await OtPack.setup(party, channel); // base OTs, both directions, once
  if (party === SERVER) {
    // Correlated OT over Z_2^32: the server picks Δ_j, gets a random m0_j.
    const deltas = Uint32Array.from({ length: n }, (_, j) => 1000 + j);
    const m0 = await ot.iknpSender.correlatedOt(deltas, 32);
    // Chosen-message OT of 8-bit messages.
    await ot.iknpSender.chosenOt(new Uint32Array(n).fill(10), new Uint32Array(n).fill(20), 8);
    // 1-out-of-16 OT of 2-bit messages: OT j offers (x mod 4) for x < 16.
    await ot.kkotSender.send(
      Uint8Array.from({ length: 16 * n }, (_, k) => k % 4),
      4,
      2,
    );
    console.log('server: m0[0..3] =', Array.from(m0.subarray(0, 3)));
  } else {
    const choices = Uint8Array.from({ length: n }, (_, j) => j % 2);
    const cot = await ot.iknpReceiver.correlatedOt(choices, 32); // m0 + c·Δ
    const chosen = await ot.iknpReceiver.chosenOt(choices, 8); // 10 or 20
    const kk = await ot.kkotReceiver.receive(
      Uint8Array.from({ length: n }, (_, j) => j % 16),
      4,
      2,
    );
    console.log('client: cot[0..3] =', Array.from(cot.subarray(0, 3)));
    console.log(
      'client: chosen[0..3] =',
      Array.from(chosen.subarray(0, 3)),
      'kkot[0..5] =',
      Array.from(kk.subarray(0, 5)),
    );
    console.log(
      'client: bytes sent/received =',
      channel.stats.bytesSent,
      channel.stats.bytesReceived,
    );
  }
  await channel.close();
}

const [mode, port = '7000'] = process.argv.slice(2);
if (mode === 'server') {
  const listener = await listen({ port: Number(port) });
  const channel = await listener.accept();
  await run(SERVER, channel);
  await listener.close();
} else if (mode === 'client') {
  await run(CLIENT, await connect({ port: Number(port) }));
} else {
  const [a, b] = memoryPair();
  await Promise.all([run(SERVER, a), run(CLIENT, b)]);
}
