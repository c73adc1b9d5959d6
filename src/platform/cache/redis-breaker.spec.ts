import { REDIS_PROBE_INTERVAL_MS, RedisBreaker, RedisUnavailableError } from './redis-breaker.js';
import { CacheTimeoutError } from './with-timeout.js';

const hang = () => new Promise<never>(() => undefined);
const TIMEOUT_MS = 50;
/**
 * A timeout takes effect one event-loop turn after its timer (withTimeout), which the fake clock
 * runs 1 ms later: past this, a hung call has timed out.
 */
const TIMED_OUT_MS = TIMEOUT_MS + 1;
const refuse = () => Promise.reject(new Error('ECONNREFUSED'));

describe('RedisBreaker', () => {
  let breaker: RedisBreaker;

  beforeEach(() => {
    jest.useFakeTimers();
    breaker = new RedisBreaker(TIMEOUT_MS);
  });
  afterEach(() => {
    breaker.stop();
    jest.useRealTimers();
  });

  it('passes calls through while closed', async () => {
    await expect(breaker.call(async () => 'v')).resolves.toBe('v');
    expect(breaker.isOpen).toBe(false);
  });

  it('opens on a failed call, then fails every call at once without running it', async () => {
    await expect(breaker.call(refuse)).rejects.toThrow('ECONNREFUSED');
    const work = jest.fn(async () => 'v');
    await expect(breaker.call(work)).rejects.toBeInstanceOf(RedisUnavailableError);
    // A skipped call names the failure that opened the breaker, for the log.
    await expect(breaker.call(work)).rejects.toThrow('a call failed: ECONNREFUSED');
    expect(work).not.toHaveBeenCalled();
  });

  it('opens on a call that takes longer than the timeout', async () => {
    const call = breaker.call(hang, () => new Error('silent'));
    const settled = expect(call).rejects.toThrow('silent');
    await jest.advanceTimersByTimeAsync(TIMED_OUT_MS);
    await settled;
    expect(breaker.isOpen).toBe(true);
  });

  it('probes at once, then once per interval, one probe at a time, until one succeeds, and then closes', async () => {
    let answers = false;
    const probe = jest.fn(() => (answers ? Promise.resolve() : hang()));
    const recovered = jest.fn();
    breaker.recoverWith(probe, recovered);
    await expect(breaker.call(refuse)).rejects.toThrow();
    // Late failures of calls started before it opened schedule nothing more.
    await expect(breaker.call(refuse)).rejects.toBeInstanceOf(RedisUnavailableError);

    // The first probe runs at once: a replica that tripped on one late answer closes again at once.
    await jest.advanceTimersByTimeAsync(0);
    expect(probe).toHaveBeenCalledTimes(1);
    // The hung probe times out, and the next starts an interval after that.
    await jest.advanceTimersByTimeAsync(TIMED_OUT_MS + REDIS_PROBE_INTERVAL_MS - 1);
    expect(probe).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(probe).toHaveBeenCalledTimes(2);
    expect(breaker.isOpen).toBe(true);

    answers = true;
    await jest.advanceTimersByTimeAsync(TIMED_OUT_MS + REDIS_PROBE_INTERVAL_MS);
    expect(probe).toHaveBeenCalledTimes(3);
    expect([breaker.isOpen, recovered.mock.calls.length]).toEqual([false, 1]);
    await expect(breaker.call(async () => 'v')).resolves.toBe('v');
    await jest.advanceTimersByTimeAsync(10 * REDIS_PROBE_INTERVAL_MS);
    expect(probe).toHaveBeenCalledTimes(3);
  });

  it('closes as soon as its first probe succeeds (one late answer, not an outage)', async () => {
    const recovered = jest.fn();
    breaker.recoverWith(async () => undefined, recovered);
    await expect(breaker.call(refuse)).rejects.toThrow();
    expect(breaker.isOpen).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    expect([breaker.isOpen, recovered.mock.calls.length]).toEqual([false, 1]);
  });

  it('without a probe, closes after the interval so the next call tries Redis', async () => {
    await expect(breaker.call(refuse)).rejects.toThrow();
    await jest.advanceTimersByTimeAsync(REDIS_PROBE_INTERVAL_MS - 1);
    expect(breaker.isOpen).toBe(true);
    await jest.advanceTimersByTimeAsync(1);
    expect(breaker.isOpen).toBe(false);
  });

  it('probes no more once stopped', async () => {
    const probe = jest.fn(async () => undefined);
    breaker.recoverWith(probe);
    await expect(breaker.call(refuse)).rejects.toThrow();
    breaker.stop();
    await jest.advanceTimersByTimeAsync(10 * REDIS_PROBE_INTERVAL_MS);
    expect(probe).not.toHaveBeenCalled();
  });

  it('times a hung call out with CacheTimeoutError by default', async () => {
    const call = breaker.call(hang);
    const settled = expect(call).rejects.toBeInstanceOf(CacheTimeoutError);
    await jest.advanceTimersByTimeAsync(TIMED_OUT_MS);
    await settled;
  });
});
