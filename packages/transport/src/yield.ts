/**
 * One turn of the event loop, in Node and in a browser: a party that computes ahead while it
 * waits for a message (a cheap step per turn) must let the socket's callbacks run between
 * steps. Node's `setImmediate` runs after pending I/O; browsers have none, and `setTimeout(0)`
 * is clamped to 4 ms once nested, so there a MessageChannel message plays the same role.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function')
    return new Promise((resolve) => setImmediate(() => resolve()));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.addEventListener('message', () => {
      port1.close();
      resolve();
    });
    port1.start();
    port2.postMessage(null);
  });
}
