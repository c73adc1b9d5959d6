import { ConnectionError, createApiError, TimeoutError } from './client.errors.js';
import { parseRetryAfter, RetryPolicy, type RetrySettings } from './retry.policy.js';

const SETTINGS: RetrySettings = { retries: 3, backoffBaseMs: 200, backoffCapMs: 5000, maxRetryAfterMs: 10_000, maxElapsedMs: 30_000 };
const apiError = (status: number, code: string, retryAfterMs?: number) => createApiError({ status, code, message: code, retryAfterMs });
const failed = (error: unknown, extra: Partial<Parameters<RetryPolicy['delayBeforeRetry']>[0]> = {}) => ({
  error,
  attempt: 1,
  elapsedMs: 0,
  replayable: true,
  idempotencyKey: false,
  ...extra,
});

describe('RetryPolicy', () => {
  const maxJitter = new RetryPolicy(SETTINGS, () => 0.999999);

  it('grows the backoff ceiling exponentially from the base up to the cap (full jitter below it)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => maxJitter.backoff(n))).toEqual([199, 399, 799, 1599, 3199, 4999, 4999]);
    expect(new RetryPolicy(SETTINGS, () => 0).backoff(5)).toBe(0);
  });

  it.each([
    ['a refused or reset connection', new ConnectionError('reset')],
    ['a timeout', new TimeoutError('slow', 'headers')],
    ['429', apiError(429, 'RATE_LIMITED')],
    ['502', apiError(502, 'BAD_GATEWAY')],
    ['503', apiError(503, 'SERVICE_UNAVAILABLE')],
    ['504', apiError(504, 'GATEWAY_TIMEOUT')],
  ])('retries %s', (_name, error) => {
    expect(maxJitter.delayBeforeRetry(failed(error))).toBe(199);
  });

  it.each([400, 401, 403, 404, 409, 412, 413, 415, 416, 422, 500])('never retries a %i', (status) => {
    expect(maxJitter.delayBeforeRetry(failed(apiError(status, 'X')))).toBeUndefined();
  });

  it('retries a 409 only for a keyed POST it already sent (its own first attempt still running)', () => {
    const conflict = apiError(409, 'CONFLICT', 1000);
    expect(maxJitter.delayBeforeRetry(failed(conflict, { idempotencyKey: true, attempt: 1 }))).toBeUndefined();
    expect(maxJitter.delayBeforeRetry(failed(conflict, { idempotencyKey: true, attempt: 2 }))).toBe(1000);
    expect(maxJitter.delayBeforeRetry(failed(conflict, { idempotencyKey: false, attempt: 2 }))).toBeUndefined();
  });

  it('never retries an error that is not the client’s, or a request that cannot be replayed', () => {
    expect(maxJitter.delayBeforeRetry(failed(new Error('bug')))).toBeUndefined();
    expect(maxJitter.delayBeforeRetry(failed(new ConnectionError('reset'), { replayable: false }))).toBeUndefined();
  });

  it('stops after 1 + retries attempts', () => {
    expect(maxJitter.delayBeforeRetry(failed(new ConnectionError('x'), { attempt: 3 }))).toBeDefined();
    expect(maxJitter.delayBeforeRetry(failed(new ConnectionError('x'), { attempt: 4 }))).toBeUndefined();
  });

  it('waits at least Retry-After, cut to maxRetryAfterMs', () => {
    expect(maxJitter.delayBeforeRetry(failed(apiError(503, 'SERVICE_UNAVAILABLE', 1000)))).toBe(1000);
    expect(maxJitter.delayBeforeRetry(failed(apiError(429, 'RATE_LIMITED', 37_000)))).toBe(10_000);
  });

  it('gives up when the wait would end past maxElapsedMs', () => {
    expect(maxJitter.delayBeforeRetry(failed(apiError(503, 'SERVICE_UNAVAILABLE', 1000), { elapsedMs: 29_500 }))).toBeUndefined();
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 37 ', now)).toBe(37_000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
