/**
 * One turn of the event loop, in Node and in a browser: a party that computes ahead while it
 * waits for a message (a cheap step per turn) must let the socket's callbacks run between
 * steps. Node's `setImmediate` runs after pending I/O; browsers have none, and `setTimeout(0)`
 * is clamped to 4 ms once nested, so there a MessageChannel message plays the same role. One
 * channel serves every call (made on the first): each call posts a message and waits in a FIFO
 * queue, and each message that arrives resolves the oldest waiter, so concurrent yields end in
 * the order they began.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function')
    return new Promise((resolve) => setImmediate(() => resolve()));
  return new Promise((resolve) => {
    const { send, receive } = turnChannel();
    if (waiting.push(resolve) === 1) receive.ref?.();
    send.postMessage(null);
  });
}

/**
 * A port as Node has it beyond a browser's: a listening port keeps the process alive unless
 * unref'd. The channel must hold the process while a yield waits, and not once none does.
 */
interface KeepsAlive {
  ref?(): void;
  unref?(): void;
}

/** Resolvers of the yields whose messages have not yet arrived, oldest first. */
const waiting: (() => void)[] = [];
let channel:
  | { send: InstanceType<typeof MessageChannel>['port2']; receive: KeepsAlive }
  | undefined;

/** The module's one channel, made on first use. */
function turnChannel(): NonNullable<typeof channel> {
  if (channel) return channel;
  const { port1, port2 } = new MessageChannel();
  const receive = port1 as KeepsAlive;
  port1.addEventListener('message', () => {
    waiting.shift()?.();
    if (waiting.length === 0) receive.unref?.();
  });
  port1.start();
  channel = { send: port2, receive };
  return channel;
}
