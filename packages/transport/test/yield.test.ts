// yieldToEventLoop lets timers and I/O run between steps, with Node's setImmediate and with the
// MessageChannel a browser uses: a loop that waits for a timer's flag ends (a microtask-only
// "yield" would spin forever and time the test out). Without setImmediate, many concurrent
// yields share one channel, made on the first call, and end in the order they began.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { yieldToEventLoop } from '../src/yield.js';

const nodeSetImmediate = globalThis.setImmediate;
const NodeMessageChannel = globalThis.MessageChannel;
afterEach(() => {
  globalThis.setImmediate = nodeSetImmediate;
  globalThis.MessageChannel = NodeMessageChannel;
});

async function turnsUntilTimer(): Promise<number> {
  let fired = false;
  setTimeout(() => {
    fired = true;
  }, 5);
  let turns = 0;
  while (!fired) {
    await yieldToEventLoop();
    turns++;
  }
  return turns;
}

describe('yieldToEventLoop', () => {
  it('lets a timer fire (setImmediate, as on Node)', async () => {
    expect(await turnsUntilTimer()).toBeGreaterThan(0);
  }, 2000);

  it('lets a timer fire without setImmediate (MessageChannel, as in a browser)', async () => {
    // @ts-expect-error: a browser has no setImmediate
    delete globalThis.setImmediate;
    expect(typeof setImmediate).toBe('undefined');
    expect(await turnsUntilTimer()).toBeGreaterThan(0);
  }, 2000);

  it('serves concurrent yields from one channel, oldest first (as in a browser)', async () => {
    // @ts-expect-error: a browser has no setImmediate
    delete globalThis.setImmediate;
    let channels = 0;
    globalThis.MessageChannel = class extends NodeMessageChannel {
      constructor() {
        super();
        channels++;
      }
    };
    vi.resetModules(); // a fresh module, so that its channel is made here
    const fresh = await import('../src/yield.js');
    const ended: number[] = [];
    const calls = 200;
    await Promise.all(
      Array.from({ length: calls }, (_, i) => fresh.yieldToEventLoop().then(() => ended.push(i))),
    );
    expect(ended).toEqual(Array.from({ length: calls }, (_, i) => i));
    await fresh.yieldToEventLoop();
    expect(channels).toBe(1);
  }, 2000);
});
