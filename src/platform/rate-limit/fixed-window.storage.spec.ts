import { FixedWindowThrottlerStorage, WINDOW_SWEEP_INTERVAL_MS } from './fixed-window.storage.js';

describe('FixedWindowThrottlerStorage', () => {
  let now: number;
  let storage: FixedWindowThrottlerStorage;

  beforeEach(() => {
    now = 1_000_000;
    storage = new FixedWindowThrottlerStorage(() => now);
  });

  it('counts hits in one window and reports the seconds left in it', async () => {
    expect(await storage.increment('k', 60_000, 3, 60_000)).toEqual({ totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0 });
    now += 20_500;
    expect(await storage.increment('k', 60_000, 3, 60_000)).toEqual({ totalHits: 2, timeToExpire: 40, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('blocks past the limit until the block duration has passed, then starts over', async () => {
    for (let i = 0; i < 3; i++) await storage.increment('k', 10_000, 3, 30_000);
    now += 5_000;
    const refused = await storage.increment('k', 10_000, 3, 30_000);
    expect(refused).toEqual({ totalHits: 4, timeToExpire: 30, isBlocked: true, timeToBlockExpire: 30 });
    now += 29_000;
    expect((await storage.increment('k', 10_000, 3, 30_000)).isBlocked).toBe(true);
    now += 1_000;
    expect(await storage.increment('k', 10_000, 3, 30_000)).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('keeps keys apart', async () => {
    await storage.increment('a', 1_000, 1, 1_000);
    expect((await storage.increment('a', 1_000, 1, 1_000)).isBlocked).toBe(true);
    expect((await storage.increment('b', 1_000, 1, 1_000)).isBlocked).toBe(false);
  });

  it('drops expired windows, so one-off callers do not pile up in memory', async () => {
    for (let i = 0; i < 100; i++) await storage.increment(`caller-${i}`, 1_000, 10, 1_000);
    expect(storage.size).toBe(100);
    now += WINDOW_SWEEP_INTERVAL_MS;
    await storage.increment('late', 1_000, 10, 1_000);
    expect(storage.size).toBe(1);
  });
});
