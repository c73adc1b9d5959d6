export class CacheTimeoutError extends Error {
  constructor(ms: number) {
    super(`cache call took longer than ${ms} ms`);
    this.name = 'CacheTimeoutError';
  }
}

/**
 * Settles with `work` or rejects with CacheTimeoutError after `ms`, whichever comes first. A
 * late rejection of `work` is swallowed (it was already reported as the timeout).
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CacheTimeoutError(ms)), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
