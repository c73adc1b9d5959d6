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
 */
export function withTimeout<T>(work: Promise<T>, ms: number, timedOut: () => Error = () => new CacheTimeoutError(ms)): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), ms);
    // A pending timeout must not keep a process that is otherwise done alive.
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
