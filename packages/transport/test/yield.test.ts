// yieldToEventLoop lets timers and I/O run between steps, with Node's setImmediate and with the
// MessageChannel a browser uses: a loop that waits for a timer's flag ends (a microtask-only
// "yield" would spin forever and time the test out).
import { afterEach, describe, expect, it } from 'vitest';
import { yieldToEventLoop } from '../src/yield.js';

const nodeSetImmediate = globalThis.setImmediate;
afterEach(() => {
  globalThis.setImmediate = nodeSetImmediate;
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
});
