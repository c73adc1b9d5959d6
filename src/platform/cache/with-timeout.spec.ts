import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { CacheTimeoutError, withTimeout } from './with-timeout.js';

/** Keeps the event loop busy, as a long GC pause or a burst of requests does. */
function stallEventLoop(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('withTimeout', () => {
  it('settles with the work when it is in time', async () => {
    await expect(withTimeout(Promise.resolve('v'), 1_000)).resolves.toBe('v');
    await expect(withTimeout(Promise.reject(new Error('refused')), 1_000)).rejects.toThrow('refused');
  });

  it('rejects with CacheTimeoutError when the work hangs', async () => {
    await expect(withTimeout(new Promise(() => undefined), 5)).rejects.toBeInstanceOf(CacheTimeoutError);
  });

  it('swallows a late rejection of work that already timed out', async () => {
    let reject!: (error: Error) => void;
    const late = new Promise((_, r) => (reject = r));
    await expect(withTimeout(late, 5)).rejects.toBeInstanceOf(CacheTimeoutError);
    reject(new Error('late'));
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('counts an answer that arrived while the event loop stalled past the timeout as in time', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const [serverSide] = await accepted;
    try {
      const answer = once(client, 'data');
      const call = withTimeout(answer, 20);
      // The answer is in the client's socket before the timer is due, but the loop only gets to
      // both after the stall: timers come first in its next turn, then I/O.
      serverSide.write('+PONG\r\n');
      stallEventLoop(100);
      await expect(call).resolves.toEqual([Buffer.from('+PONG\r\n')]);
    } finally {
      client.destroy();
      serverSide.destroy();
      server.close();
    }
  });
});
