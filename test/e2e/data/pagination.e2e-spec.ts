import { testBackends } from '../../setup/backends.js';
import { recordBody } from '../../factories/record-body.factory.js';
import type { DataRecord } from '../../../src/modules/data/data.record.js';
import { type Caller, detailFor, expectError, expectSuccess, uniqueSub, useDataSuite } from './data-api.helper.js';

interface Page {
  ids: string[];
  nextCursor: string | null;
  limit: number;
}

describe.each(testBackends())('data list pagination (%s)', (backend) => {
  const suite = useDataSuite(backend);

  /** Creates records one after another; returns them oldest first. */
  async function createMany(caller: Caller, keys: string[]): Promise<DataRecord[]> {
    const records: DataRecord[] = [];
    for (const key of keys) records.push(await suite.api.create(caller, recordBody({ key })));
    return records;
  }

  async function page(caller: Caller, query: string): Promise<Page> {
    const res = await suite.api.list(caller, query);
    expectSuccess(res, 200);
    const body = res.json();
    return { ids: body.data.map((record: DataRecord) => record.id), ...body.page };
  }

  /** Follows nextCursor from the first page to the last. */
  async function walk(caller: Caller, query: string): Promise<Page[]> {
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const current: Page = await page(caller, cursor ? `${query}&cursor=${cursor}` : query);
      pages.push(current);
      cursor = current.nextCursor;
    } while (cursor !== null && pages.length < 50);
    return pages;
  }

  const newestFirst = (records: DataRecord[]) => records.map((record) => record.id).reverse();

  // Keep this test first: on the suite's fresh database these are records 1..12, so the
  // insertion order crosses from one-digit to two-digit positions (9 → 10), where an order
  // compared as text ("9" > "10") rather than as numbers would show.
  it('orders newest first, and walks without gaps, across 12 records', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, Array.from({ length: 12 }, (_, i) => `n${i}`));
    expect((await page(caller, '')).ids).toEqual(newestFirst(records));
    const pages = await walk(caller, 'limit=5');
    expect(pages.flatMap((p) => p.ids)).toEqual(newestFirst(records));
    expect(pages.map((p) => p.ids.length)).toEqual([5, 5, 2]);
  });

  it('lists the caller\'s records newest first with page {limit: 20, nextCursor: null} by default', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['k0', 'k1', 'k2', 'k3', 'k4']);
    const res = await suite.api.list(caller);
    expectSuccess(res, 200);
    expect(res.json().data).toEqual([...records].reverse());
    expect(res.json().page).toEqual({ limit: 20, nextCursor: null });
  });

  it('answers an empty page for a caller without records', async () => {
    const res = await suite.api.list({ sub: uniqueSub() });
    expectSuccess(res, 200);
    expect(res.json().data).toEqual([]);
    expect(res.json().page).toEqual({ limit: 20, nextCursor: null });
  });

  it('defaults to 20 records per page and offers a cursor for the rest', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, Array.from({ length: 21 }, (_, i) => `r${i}`));
    const first = await page(caller, '');
    expect(first.limit).toBe(20);
    expect(first.ids).toEqual(newestFirst(records).slice(0, 20));
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await page(caller, `cursor=${first.nextCursor}`);
    expect(second).toEqual({ ids: [records[0].id], limit: 20, nextCursor: null });
  });

  it('walks every page without duplicates or gaps (7 records, limit 3)', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const pages = await walk(caller, 'limit=3');
    expect(pages.map((p) => p.ids.length)).toEqual([3, 3, 1]);
    expect(pages.every((p) => p.limit === 3)).toBe(true);
    expect(pages.flatMap((p) => p.ids)).toEqual(newestFirst(records));
    expect(pages.at(-1)!.nextCursor).toBeNull();
  });

  it('ends without an empty trailing page when the count is a multiple of the limit', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['a', 'b', 'c', 'd']);
    const pages = await walk(caller, 'limit=2');
    expect(pages.map((p) => p.ids.length)).toEqual([2, 2]);
    expect(pages.flatMap((p) => p.ids)).toEqual(newestFirst(records));
  });

  it('pages one record at a time with limit=1', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['a', 'b', 'c']);
    const pages = await walk(caller, 'limit=1');
    expect(pages.map((p) => p.ids)).toEqual(newestFirst(records).map((id) => [id]));
  });

  it('accepts limit=100, the maximum', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['a', 'b']);
    expect(await page(caller, 'limit=100')).toEqual({ ids: newestFirst(records), limit: 100, nextCursor: null });
  });

  it('keeps a walk stable while records are created and deleted between pages', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['a', 'b', 'c', 'd', 'e']);
    const first = await page(caller, 'limit=2');
    // A newer record must not shift later pages (as an offset would), and deleting the record
    // the cursor points at must not break the walk.
    await suite.api.create(caller, recordBody({ key: 'newer' }));
    const cursorRecord = records[3];
    expect(first.ids.at(-1)).toBe(cursorRecord.id);
    expect((await suite.api.delete(caller, cursorRecord.id)).statusCode).toBe(204);

    const second = await page(caller, `limit=2&cursor=${first.nextCursor}`);
    const third = await page(caller, `limit=2&cursor=${second.nextCursor}`);
    expect([...first.ids, ...second.ids, ...third.ids]).toEqual(newestFirst(records));
    expect(third.nextCursor).toBeNull();
  });

  it('filters by exact key: no prefix, case or whitespace matches', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['apple', 'Apple', 'apple ', ' apple', 'apples', 'app', 'apple']);
    const matching = [records[6].id, records[0].id];
    expect((await page(caller, 'key=apple')).ids).toEqual(matching);
    expect((await page(caller, 'key=apple%20')).ids).toEqual([records[2].id]);
    expect((await page(caller, 'key=nothing')).ids).toEqual([]);
  });

  it('filters by a non-ASCII key', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['测试数据 ✓', '测试数据', '🎉']);
    expect((await page(caller, `key=${encodeURIComponent('测试数据 ✓')}`)).ids).toEqual([records[0].id]);
    expect((await page(caller, `key=${encodeURIComponent('🎉')}`)).ids).toEqual([records[2].id]);
  });

  it('paginates within a key filter', async () => {
    const caller = { sub: uniqueSub() };
    const records = await createMany(caller, ['x', 'y', 'x', 'y', 'x', 'x']);
    const xs = records.filter((record) => record.key === 'x');
    const pages = await walk(caller, 'key=x&limit=3');
    expect(pages.map((p) => p.ids.length)).toEqual([3, 1]);
    expect(pages.flatMap((p) => p.ids)).toEqual(newestFirst(xs));
  });

  describe('invalid query', () => {
    it.each([
      ['0', '0'],
      ['101', '101'],
      ['abc', 'abc'],
      ['1.5', '1.5'],
      ['-1', '-1'],
      ['empty', ''],
      ['1e2', '1e2'],
      ['leading space', '%205'],
      ['huge', '99999999999999999999'],
    ])('limit=%s answers 400 VALIDATION_FAILED naming limit', async (_name, limit) => {
      const res = await suite.api.list({ sub: uniqueSub() }, `limit=${limit}`);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(detailFor(res, 'limit')).toBeDefined();
    });

    it('a repeated limit answers 400 VALIDATION_FAILED', async () => {
      const res = await suite.api.list({ sub: uniqueSub() }, 'limit=1&limit=2');
      expectError(res, 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['random text', 'zzz'],
      ['base64 of something else', Buffer.from('not-a-cursor').toString('base64url')],
      ['a cursor with sequence 0', Buffer.from('r1:0').toString('base64url')],
      ['a cursor with a non-numeric sequence', Buffer.from('r1:abc').toString('base64url')],
      ['a cursor beyond bigint', Buffer.from('r1:99999999999999999999').toString('base64url')],
      ['characters outside base64url', '%21%21%21'],
      ['empty', ''],
      ['too long', 'a'.repeat(65)],
    ])('a bogus cursor (%s) answers 400 VALIDATION_FAILED naming cursor', async (_name, cursor) => {
      const res = await suite.api.list({ sub: uniqueSub() }, `cursor=${cursor}`);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(detailFor(res, 'cursor')).toBeDefined();
    });

    it.each(['foo=1', 'offset=10', 'owner=someone', 'page=2'])('an unknown parameter (%s) answers 400 VALIDATION_FAILED', async (query) => {
      const res = await suite.api.list({ sub: uniqueSub() }, query);
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(detailFor(res, query.split('=')[0])).toBeDefined();
    });

    it('an empty key filter answers 400 VALIDATION_FAILED naming key', async () => {
      const res = await suite.api.list({ sub: uniqueSub() }, 'key=');
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(detailFor(res, 'key')).toBeDefined();
    });

    it('a key filter with NUL answers 400 VALIDATION_FAILED, not 500', async () => {
      const res = await suite.api.list({ sub: uniqueSub() }, 'key=a%00b');
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(detailFor(res, 'key')).toBeDefined();
    });
  });
});
