import { SingleFlight } from './single-flight.js';

describe('SingleFlight', () => {
  it('runs concurrent work for one key once and shares the result', async () => {
    const flights = new SingleFlight<number>();
    let release!: (value: number) => void;
    const work = jest.fn(() => new Promise<number>((resolve) => (release = resolve)));
    const calls = Array.from({ length: 5 }, () => flights.run('k', work));
    release(42);
    const results = await Promise.all(calls);
    expect(work).toHaveBeenCalledTimes(1);
    expect(results.map((r) => r.value)).toEqual([42, 42, 42, 42, 42]);
    expect(results.filter((r) => !r.shared)).toHaveLength(1);
  });

  it('keeps different keys apart and forgets settled work', async () => {
    const flights = new SingleFlight<string>();
    const work = jest.fn(async () => 'v');
    await Promise.all([flights.run('a', work), flights.run('b', work)]);
    expect(work).toHaveBeenCalledTimes(2);
    await flights.run('a', work);
    expect(work).toHaveBeenCalledTimes(3);
    expect(flights.size).toBe(0);
  });

  it('shares a failure with the joiners, then lets the next call retry', async () => {
    const flights = new SingleFlight<string>();
    const failing = jest.fn(async () => {
      throw new Error('down');
    });
    await expect(Promise.all([flights.run('k', failing), flights.run('k', failing)])).rejects.toThrow('down');
    expect(failing).toHaveBeenCalledTimes(1);
    await expect(flights.run('k', async () => 'ok')).resolves.toEqual({ value: 'ok', shared: false });
  });
});
