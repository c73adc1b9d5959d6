import Keyv from 'keyv';
import { SweepingMap } from './sweeping-map.js';

describe('SweepingMap', () => {
  it('drops expired entries nobody reads again, on a write after the interval, and keeps live ones', async () => {
    let now = 1_000_000;
    const map = new SweepingMap(60_000, () => now);
    const originalNow = Date.now;
    Date.now = () => now;
    try {
      const keyv = new Keyv({ store: map });
      await keyv.set('short', 'a', 1_000);
      await keyv.set('long', 'b', 3_600_000);
      await keyv.set('forever', 'c');
      expect(map.size).toBe(3);

      now += 30_000;
      await keyv.set('trigger-early', 'd', 1_000);
      expect(map.size).toBe(4);

      now += 31_000;
      await keyv.set('trigger', 'e', 1_000);
      expect([...map.keys()].sort()).toEqual(['keyv:forever', 'keyv:long', 'keyv:trigger']);
      expect(await keyv.get('long')).toBe('b');
    } finally {
      Date.now = originalNow;
    }
  });
});
