import { CacheTimeoutError, withTimeout } from './with-timeout.js';

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
});
