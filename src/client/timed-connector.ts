import type { Socket } from 'node:net';
import { buildConnector } from 'undici';
import { TimeoutError } from './client.errors.js';

/**
 * undici's connector with the connect timeout on a native timer: undici's own runs on a
 * coarse clock that may fire up to a second late, and the timeout is a measured promise.
 */
export function timedConnector(timeoutMs: number): buildConnector.connector {
  const connect = buildConnector({ timeout: 0 });
  return (options, callback) => {
    const attempt: { settled: boolean; socket?: Socket } = { settled: false };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            if (attempt.settled) return;
            attempt.settled = true;
            attempt.socket?.destroy();
            callback(new TimeoutError(`No connection to ${options.hostname}:${options.port} within ${timeoutMs} ms`, 'connect'), null);
          }, timeoutMs)
        : undefined;
    // The connector returns its socket (its type says void), so a timeout can close it.
    attempt.socket = connect(options, (...result) => {
      if (attempt.settled) return void result[1]?.destroy();
      attempt.settled = true;
      clearTimeout(timer);
      callback(...result);
    }) as unknown as Socket | undefined;
  };
}
