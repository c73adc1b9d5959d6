import { InsertCoalescer, type InsertCoalescerOptions } from './insert-coalescer.js';

interface Item {
  id: string;
  value: string;
}
interface Row {
  id: string;
  stored: string;
}

const item = (id: string): Item => ({ id, value: `v-${id}` });
const rowOf = (it: Item): Row => ({ id: it.id, stored: it.value });
const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A coalescer over a fake table that records every statement it was asked to run. */
function fakeTable(overrides: Partial<InsertCoalescerOptions<Item, Row>> = {}) {
  const batches: string[][] = [];
  const singles: string[] = [];
  const options: InsertCoalescerOptions<Item, Row> = {
    // Rows come back in the reverse order, so a mapping by position would hand out wrong rows.
    insertMany: jest.fn(async (items: readonly Item[]) => {
      batches.push(items.map((it) => it.id));
      return items.map(rowOf).reverse();
    }),
    insertOne: jest.fn(async (it: Item) => {
      singles.push(it.id);
      return rowOf(it);
    }),
    itemKey: (it) => it.id,
    rowKey: (row) => row.id,
    ...overrides,
  };
  return { coalescer: new InsertCoalescer(options), batches, singles, options };
}

const ids = (count: number, prefix = 'i') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

describe('InsertCoalescer', () => {
  afterEach(() => jest.useRealTimers());

  it('sends items submitted in the same turn as one statement, each caller getting its own row by key', async () => {
    const { coalescer, batches, singles } = fakeTable();
    const rows = await Promise.all(ids(10).map((id) => coalescer.submit(item(id))));
    expect(batches).toEqual([ids(10)]);
    expect(singles).toEqual([]);
    expect(rows).toEqual(ids(10).map((id) => ({ id, stored: `v-${id}` })));
  });

  it('sends a lone item at once, as its own statement, with no timer involved', async () => {
    // Timers are faked and never advanced: a flush that waited for one would never happen.
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const { coalescer, batches, singles } = fakeTable();
    const row = coalescer.submit(item('alone'));
    await nextTurn();
    expect(singles).toEqual(['alone']);
    expect(batches).toEqual([]);
    await expect(row).resolves.toEqual({ id: 'alone', stored: 'v-alone' });
  });

  it('queues what arrives while a statement runs and sends it all together when it completes', async () => {
    const first = deferred<readonly Row[]>();
    const calls: string[][] = [];
    const { coalescer } = fakeTable({
      insertMany: async (items) => {
        calls.push(items.map((it) => it.id));
        return calls.length === 1 ? first.promise : items.map(rowOf);
      },
    });
    const early = ids(3, 'a').map((id) => coalescer.submit(item(id)));
    await nextTurn();
    expect(calls).toEqual([ids(3, 'a')]);

    // Arriving over several turns while the first statement is still running.
    const late: Array<Promise<Row>> = [];
    for (const id of ids(5, 'b')) {
      late.push(coalescer.submit(item(id)));
      await nextTurn();
    }
    expect(calls).toHaveLength(1);

    first.resolve(ids(3, 'a').map((id) => rowOf(item(id))));
    await expect(Promise.all(early)).resolves.toHaveLength(3);
    await expect(Promise.all(late)).resolves.toEqual(ids(5, 'b').map((id) => rowOf(item(id))));
    expect(calls).toEqual([ids(3, 'a'), ids(5, 'b')]);
  });

  it('never puts more than maxBatchSize items in one statement, and loses none', async () => {
    const { coalescer, batches } = fakeTable({ maxBatchSize: 64 });
    const rows = await Promise.all(ids(150).map((id) => coalescer.submit(item(id))));
    expect(batches.map((batch) => batch.length)).toEqual([64, 64, 22]);
    expect(batches.flat()).toEqual(ids(150));
    expect(rows.map((row) => row.id)).toEqual(ids(150));
  });

  it('keeps at most maxInFlight statements running', async () => {
    let running = 0;
    let most = 0;
    const { coalescer } = fakeTable({
      maxBatchSize: 5,
      maxInFlight: 2,
      insertMany: async (items) => {
        most = Math.max(most, ++running);
        await nextTurn();
        running--;
        return items.map(rowOf);
      },
    });
    await Promise.all(ids(40).map((id) => coalescer.submit(item(id))));
    expect(most).toBe(2);
  });

  it('when the statement fails, inserts each item alone so only the bad one fails, with its own error', async () => {
    const poison = withCode('23514', 'new row violates check constraint');
    const { coalescer, batches, singles } = fakeTable({
      insertMany: async (items) => {
        batches.push(items.map((it) => it.id));
        throw withCode('23514', 'the whole statement');
      },
      insertOne: async (it) => {
        singles.push(it.id);
        if (it.id === 'bad') throw poison;
        return rowOf(it);
      },
    });
    const results = await Promise.allSettled(['a', 'bad', 'c'].map((id) => coalescer.submit(item(id))));
    expect(batches).toEqual([['a', 'bad', 'c']]);
    expect(singles.sort()).toEqual(['a', 'bad', 'c']);
    expect(results).toEqual([
      { status: 'fulfilled', value: rowOf(item('a')) },
      { status: 'rejected', reason: poison },
      { status: 'fulfilled', value: rowOf(item('c')) },
    ]);
  });

  it('gives a lone item the error of its own statement, without trying it again', async () => {
    const refused = withCode('23505');
    const insertOne = jest.fn(async () => Promise.reject(refused));
    const { coalescer } = fakeTable({ insertOne });
    await expect(coalescer.submit(item('dup'))).rejects.toBe(refused);
    expect(insertOne).toHaveBeenCalledTimes(1);
  });

  it('fails every item of the batch, and those queued behind it, with the outage error: no retries', async () => {
    const outage = withCode('ECONNREFUSED');
    const started = deferred<void>();
    const release = deferred<void>();
    const insertOne = jest.fn(async (it: Item) => rowOf(it));
    const { coalescer, batches } = fakeTable({
      insertOne,
      insertMany: async (items) => {
        batches.push(items.map((it) => it.id));
        started.resolve();
        await release.promise;
        throw outage;
      },
    });
    const batch = ids(4).map((id) => coalescer.submit(item(id)));
    await started.promise;
    const queued = ids(2, 'q').map((id) => coalescer.submit(item(id)));
    release.resolve();
    for (const result of await Promise.allSettled([...batch, ...queued])) {
      expect(result).toEqual({ status: 'rejected', reason: outage });
    }
    expect(batches).toEqual([ids(4)]);
    expect(insertOne).not.toHaveBeenCalled();
  });

  it('fails only the caller whose row did not come back', async () => {
    const { coalescer } = fakeTable({ insertMany: async (items) => items.filter((it) => it.id !== 'lost').map(rowOf) });
    const [kept, lost] = await Promise.allSettled([coalescer.submit(item('kept')), coalescer.submit(item('lost'))]);
    expect(kept).toEqual({ status: 'fulfilled', value: rowOf(item('kept')) });
    expect(lost).toMatchObject({ status: 'rejected', reason: { message: expect.stringContaining('lost') } });
  });

  it('drained() waits for every item submitted so far, queued ones included', async () => {
    const release = deferred<void>();
    const { coalescer } = fakeTable({
      insertMany: async (items) => {
        await release.promise;
        return items.map(rowOf);
      },
    });
    await expect(coalescer.drained()).resolves.toBeUndefined();
    const settled: string[] = [];
    const submit = (id: string) => void coalescer.submit(item(id)).then((row) => settled.push(row.id));
    ids(3).forEach(submit);
    await nextTurn();
    ids(3, 'q').forEach(submit);
    let drained = false;
    const draining = coalescer.drained().then(() => (drained = true));
    await nextTurn();
    expect(drained).toBe(false);
    release.resolve();
    await draining;
    expect(settled.sort()).toEqual([...ids(3), ...ids(3, 'q')].sort());
  });
});
