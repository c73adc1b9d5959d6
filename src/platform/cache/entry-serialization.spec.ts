import Keyv from 'keyv';
import { deserializeEntry, serializeEntry, storedExpiry } from './entry-serialization.js';
import { SweepingMap } from './sweeping-map.js';

const entry = '"3"\n\n{"id":"a","key":"quote \\" and \\n newline"}';

describe('cache entry serialization', () => {
  it('stores a string value as it is, after its expiry, and reads it back unchanged', async () => {
    const text = await serializeEntry({ value: entry, expires: 1_700_000_000_000 });
    expect(text).toBe(`1700000000000\n${entry}`);
    expect(await deserializeEntry(text)).toEqual({ value: entry, expires: 1_700_000_000_000 });
    expect(await deserializeEntry(await serializeEntry({ value: 'no-ttl' }))).toEqual({ value: 'no-ttl', expires: undefined });
    expect(await deserializeEntry(await serializeEntry({ value: '' }))).toEqual({ value: '', expires: undefined });
  });

  it("reads Keyv's default JSON format, as a replica of the previous version wrote it", async () => {
    expect(await deserializeEntry(JSON.stringify({ value: 'generation-uuid', expires: 42 }))).toEqual({ value: 'generation-uuid', expires: 42 });
  });

  it('keeps anything that is not a string as JSON', async () => {
    const text = await serializeEntry({ value: { n: 1 }, expires: 5 });
    expect(JSON.parse(text)).toEqual({ value: { n: 1 }, expires: 5 });
    expect(await deserializeEntry(text)).toEqual({ value: { n: 1 }, expires: 5 });
  });

  it('tells the expiry of either format', () => {
    expect(storedExpiry(`1700000000000\n${entry}`)).toBe(1_700_000_000_000);
    expect(storedExpiry('\nforever')).toBe(Infinity);
    expect(storedExpiry('{"value":"x","expires":42}')).toBe(42);
    expect(storedExpiry('{"value":"x"}')).toBe(Infinity);
  });

  it('works as Keyv serializer over the sweeping map: values, TTLs and sweeps', async () => {
    let now = 1_000_000;
    const map = new SweepingMap(10_000, () => now);
    const keyv = new Keyv({ store: map, serialize: serializeEntry, deserialize: deserializeEntry });
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      await keyv.set('short', entry, 1_000);
      await keyv.set('long', 'b', 60_000);
      expect(await keyv.getMany(['short', 'long', 'none'])).toEqual([entry, 'b', undefined]);
      now += 10_000;
      await keyv.set('trigger', 'c', 1_000);
      expect([...map.keys()].sort()).toEqual(['keyv:long', 'keyv:trigger']);
    } finally {
      spy.mockRestore();
    }
  });
});
