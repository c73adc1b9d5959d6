export class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`cache call took longer than ${ms} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * Settles with `work` or rejects after `ms` (with CacheTimeoutError, or the error `timedOut`
 * makes), whichever comes first. A late rejection of `work` is swallowed: it was already
 * reported as the timeout. One promise and one timer per call: this wraps every Redis command
 * of a request, so no race, finally or extra catch chains.
 *
 * When the timer fires, the answer may already be waiting in the socket: an event loop that
 * stalled (a long GC pause, a burst of requests) runs due timers before it reads I/O. So the
 * timeout takes effect one turn later (setImmediate runs after the I/O phase), and only a call
 * that is really late counts as one; otherwise every stall would look like a Redis failure.
 */
export function withTimeout<T>(work: Promise<T>, ms: number, timedOut: () => Error = () => new CacheTimeoutError(ms)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      // Not unref'd: an unref'd immediate lets the loop block waiting for I/O before running it.
      setImmediate(() => {
        if (!settled) reject(timedOut());
      });
    }, ms);
    // A pending timeout must not keep a process that is otherwise done alive.
    timer.unref();
    work.then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
