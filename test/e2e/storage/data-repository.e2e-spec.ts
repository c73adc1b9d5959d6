import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { DataRepository, type RecordContent } from '../../../src/modules/data/data.repository.js';
import type { DataTables } from '../../../src/modules/data/data.tables.js';
import { migrateToLatest } from '../../../src/platform/database/migrate.js';
import { testBackends } from '../../setup/backends.js';
import { openStorageDatabase, type StorageDatabase, waitForDatabaseClockPast } from './storage-database.js';

const content = (overrides: Partial<RecordContent> = {}): RecordContent => ({
  key: 'k',
  nested: { field1: 123, field2: 'example' },
  tags: ['a', 'b'],
  attributes: { color: 'red' },
  ...overrides,
});

/** A fresh owner per test, so tests sharing one database never see each other's rows. */
const newOwner = () => `owner-${randomUUID()}`;

describe.each(testBackends())('DataRepository (%s)', (backend) => {
  let database: StorageDatabase<DataTables>;
  let db: Kysely<DataTables>;
  let repository: DataRepository;

  beforeAll(async () => {
    database = await openStorageDatabase<DataTables>(backend);
    db = database.db;
    await migrateToLatest(db as Kysely<unknown>);
    repository = new DataRepository(db);
  }, 120_000); // includes waiting for the other storage suite to release PostgreSQL
  afterAll(() => database?.close());

  async function rawColumns(id: string) {
    const { rows } = await sql<{ nested: string | null; tags: string; attributes: string; key_bytes: number }>`
      select nested::text as nested, tags::text as tags, attributes::text as attributes, octet_length(key) as key_bytes
      from records where id = ${id}`.execute(db);
    return rows[0];
  }

  describe('list', () => {
    // First in this file, so on the fresh database sequences start at 1 and the fixture crosses
    // 9 → 10 and 99 → 100: newest first must follow the numbers, not the digits.
    let lists: DataRepository;
    const alice = 'alice';
    const bob = 'bob';
    /** Insertion order: every third record is bob's, every other one has key 'even'. */
    const inserted: { id: string; seq: string; owner: string; key: string }[] = [];

    beforeAll(async () => {
      lists = repository;
      for (let i = 1; i <= 105; i++) {
        const owner = i % 3 === 0 ? bob : alice;
        const row = await lists.insert(randomUUID(), owner, content({ key: i % 2 === 0 ? 'even' : 'odd' }));
        inserted.push({ id: row.id, seq: row.seq, owner, key: row.key });
      }
    });

    const newestFirst = (filter: (row: (typeof inserted)[number]) => boolean) =>
      inserted.filter(filter).reverse().map((row) => row.id);
    const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
    // For the filter tests: which rows, whatever the order (ordering has tests of its own).
    const sorted = (values: string[]) => [...values].sort();

    it('numbers records 1, 2, 3… in insertion order', () => {
      expect(inserted.map((row) => row.seq)).toEqual(inserted.map((_, i) => String(i + 1)));
    });

    it("lists an owner's records newest first, by sequence number", async () => {
      expect(ids(await lists.list({ owner: alice }, { limit: 100 }))).toEqual(newestFirst((row) => row.owner === alice));
    });

    it('puts the newest records first past 9 → 10 and 99 → 100', async () => {
      expect((await lists.list('all', { limit: 3 })).map((row) => row.seq)).toEqual(['105', '104', '103', '102']);
      expect((await lists.list('all', { limit: 2, beforeSeq: '12' })).map((row) => row.seq)).toEqual(['11', '10', '9']);
    });

    it('pages through every record exactly once, the way the service follows cursors', async () => {
      const seen: string[] = [];
      let beforeSeq: string | undefined;
      for (;;) {
        const rows = await lists.list({ owner: alice }, { limit: 7, beforeSeq });
        const page = rows.slice(0, 7);
        seen.push(...ids(page));
        if (rows.length <= 7) break;
        beforeSeq = page[page.length - 1].seq;
      }
      expect(seen).toEqual(newestFirst((row) => row.owner === alice));
    });

    it("lists only the owner's records, or everyone's for 'all'", async () => {
      expect(sorted(ids(await lists.list({ owner: bob }, { limit: 100 })))).toEqual(sorted(newestFirst((row) => row.owner === bob)));
      expect(sorted(ids(await lists.list('all', { limit: 200 })))).toEqual(sorted(newestFirst(() => true)));
    });

    it('returns one row more than the limit when more exist', async () => {
      expect(await lists.list({ owner: bob }, { limit: 1 })).toHaveLength(2);
      expect(await lists.list({ owner: bob }, { limit: 10 })).toHaveLength(11);
      expect(await lists.list({ owner: bob }, { limit: 35 })).toHaveLength(35);
    });

    it('keeps only records strictly before beforeSeq', async () => {
      const before = (seq: number) => sorted(newestFirst((row) => Number(row.seq) < seq));
      expect(sorted(ids(await lists.list('all', { limit: 200, beforeSeq: '11' })))).toEqual(before(11));
      expect(sorted(ids(await lists.list('all', { limit: 200, beforeSeq: '101' })))).toEqual(before(101));
      expect(await lists.list('all', { limit: 3, beforeSeq: '1' })).toEqual([]);
    });

    it('accepts the largest bigint as beforeSeq', async () => {
      expect(await lists.list('all', { limit: 200, beforeSeq: '9223372036854775807' })).toHaveLength(105);
    });

    it('filters by exact key', async () => {
      expect(sorted(ids(await lists.list({ owner: alice }, { limit: 100, key: 'even' })))).toEqual(
        sorted(newestFirst((row) => row.owner === alice && row.key === 'even')),
      );
      expect(await lists.list({ owner: alice }, { limit: 10, key: 'EVEN' })).toEqual([]);
    });

    it('combines the key filter and beforeSeq', async () => {
      expect(sorted(ids(await lists.list('all', { limit: 100, key: 'odd', beforeSeq: '12' })))).toEqual(
        sorted(newestFirst((row) => row.key === 'odd' && Number(row.seq) < 12)),
      );
    });

    it('returns nothing for an owner without records', async () => {
      expect(await lists.list({ owner: 'nobody' }, { limit: 10 })).toEqual([]);
    });
  });

  describe('insert and find', () => {
    it('stores a record at version 1 and returns it', async () => {
      const owner = newOwner();
      const id = randomUUID();
      const row = await repository.insert(id, owner, content());
      expect(row).toMatchObject({ id, owner, key: 'k', nested: { field1: 123, field2: 'example' }, tags: ['a', 'b'], attributes: { color: 'red' }, version: 1 });
      expect(row.seq).toMatch(/^[1-9]\d*$/);
      expect(Object.prototype.toString.call(row.created_at)).toBe('[object Date]');
      expect(row.updated_at.getTime()).toBe(row.created_at.getTime());
      expect(await repository.find(id, { owner })).toEqual(row);
    });

    it("finds a record only in its owner's scope, or in 'all'", async () => {
      const owner = newOwner();
      const id = randomUUID();
      await repository.insert(id, owner, content());
      expect(await repository.find(id, { owner })).toMatchObject({ id });
      expect(await repository.find(id, { owner: newOwner() })).toBeUndefined();
      expect(await repository.find(id, 'all')).toMatchObject({ id, owner });
    });

    it('finds nothing for an unknown id', async () => {
      expect(await repository.find(randomUUID(), 'all')).toBeUndefined();
    });

    it('refuses a second record with the same id', async () => {
      const id = randomUUID();
      await repository.insert(id, newOwner(), content());
      await expect(repository.insert(id, newOwner(), content())).rejects.toThrow();
    });

    it('gives later inserts larger sequences', async () => {
      const owner = newOwner();
      const first = await repository.insert(randomUUID(), owner, content());
      const second = await repository.insert(randomUUID(), owner, content());
      expect(BigInt(second.seq)).toBeGreaterThan(BigInt(first.seq));
    });
  });

  describe('replace', () => {
    it('replaces the content, bumps the version and updated_at, keeps created_at', async () => {
      const owner = newOwner();
      const inserted = await repository.insert(randomUUID(), owner, content());
      await waitForDatabaseClockPast(db as Kysely<unknown>, inserted.updated_at);

      const replaced = await repository.replace(inserted.id, { owner }, content({ key: 'new', nested: null, tags: [], attributes: { x: [1] } }));
      expect(replaced).toMatchObject({ id: inserted.id, owner, seq: inserted.seq, key: 'new', nested: null, tags: [], attributes: { x: [1] }, version: 2 });
      expect(replaced!.created_at.getTime()).toBe(inserted.created_at.getTime());
      expect(replaced!.updated_at.getTime()).toBeGreaterThan(inserted.updated_at.getTime());
      expect(await repository.find(inserted.id, { owner })).toEqual(replaced);
    });

    it('applies a replace with the expected version and refuses a stale one', async () => {
      const owner = newOwner();
      const { id } = await repository.insert(randomUUID(), owner, content());
      const second = await repository.replace(id, { owner }, content({ key: 'v2' }), 1);
      expect(second).toMatchObject({ key: 'v2', version: 2 });

      expect(await repository.replace(id, { owner }, content({ key: 'stale' }), 1)).toBeUndefined();
      expect(await repository.find(id, { owner })).toEqual(second);

      expect(await repository.replace(id, { owner }, content({ key: 'v3' }), 2)).toMatchObject({ key: 'v3', version: 3 });
    });

    it('lets exactly one of two writers holding the same version win', async () => {
      const owner = newOwner();
      const { id } = await repository.insert(randomUUID(), owner, content());
      const results = await Promise.all([
        repository.replace(id, { owner }, content({ key: 'first' }), 1),
        repository.replace(id, { owner }, content({ key: 'second' }), 1),
      ]);
      const winners = results.filter((row) => row !== undefined);
      expect(winners).toHaveLength(1);
      expect(await repository.find(id, { owner })).toMatchObject({ key: winners[0]!.key, version: 2 });
    });

    it("changes nothing outside the caller's scope", async () => {
      const owner = newOwner();
      const inserted = await repository.insert(randomUUID(), owner, content());
      expect(await repository.replace(inserted.id, { owner: newOwner() }, content({ key: 'hijack' }))).toBeUndefined();
      expect(await repository.find(inserted.id, 'all')).toEqual(inserted);
      expect(await repository.replace(inserted.id, 'all', content({ key: 'admin' }), 1)).toMatchObject({ owner, key: 'admin', version: 2 });
    });

    it('returns undefined for an unknown id', async () => {
      expect(await repository.replace(randomUUID(), 'all', content())).toBeUndefined();
    });
  });

  describe('delete', () => {
    it("deletes only within the caller's scope", async () => {
      const owner = newOwner();
      const { id } = await repository.insert(randomUUID(), owner, content());
      expect(await repository.delete(id, { owner: newOwner() })).toBe(false);
      expect(await repository.find(id, { owner })).toBeDefined();
      expect(await repository.delete(id, { owner })).toBe(true);
      expect(await repository.find(id, 'all')).toBeUndefined();
      expect(await repository.delete(id, { owner })).toBe(false);
    });

    it("deletes any owner's record in 'all'", async () => {
      const { id } = await repository.insert(randomUUID(), newOwner(), content());
      expect(await repository.delete(id, 'all')).toBe(true);
      expect(await repository.find(id, 'all')).toBeUndefined();
    });
  });

  describe('JSON columns', () => {
    it('keep key order and the serialized number spelling', async () => {
      // JSON.parse('{"b":1,"a":2.50}') then JSON.stringify gives {"b":1,"a":2.5}.
      const attributes = JSON.parse('{"b":1,"a":2.50}') as Record<string, unknown>;
      const { id } = await repository.insert(randomUUID(), newOwner(), content({ attributes }));
      expect((await rawColumns(id)).attributes).toBe('{"b":1,"a":2.5}');
      const found = await repository.find(id, 'all');
      expect(Object.keys(found!.attributes)).toEqual(['b', 'a']);
      expect(found!.attributes).toEqual({ b: 1, a: 2.5 });
    });

    it('store exactly the text JSON.stringify wrote', async () => {
      const attributes = { zeta: { y: 1, x: [3, 2, 1] }, big: 1e21, tiny: 1e-7, neg: -0.5, alpha: null, t: true, s: 'line\nbreak "quoted" \\ \u2028' };
      const { id } = await repository.insert(randomUUID(), newOwner(), content({ attributes, tags: ['z', 'a'] }));
      const raw = await rawColumns(id);
      expect(raw.attributes).toBe(JSON.stringify(attributes));
      expect(raw.tags).toBe('["z","a"]');
      expect(raw.nested).toBe('{"field1":123,"field2":"example"}');
      const found = await repository.find(id, 'all');
      expect(found!.attributes).toEqual(attributes);
      expect(Object.keys(found!.attributes)).toEqual(Object.keys(attributes));
    });

    it('store a null nested as SQL NULL', async () => {
      const { id } = await repository.insert(randomUUID(), newOwner(), content({ nested: null }));
      expect((await rawColumns(id)).nested).toBeNull();
      expect((await repository.find(id, 'all'))!.nested).toBeNull();
    });

    it('round-trip an empty object and an empty array', async () => {
      const { id } = await repository.insert(randomUUID(), newOwner(), content({ tags: [], attributes: {} }));
      expect(await repository.find(id, 'all')).toMatchObject({ tags: [], attributes: {} });
    });
  });

  describe('text', () => {
    const samples = [
      ['accents', 'Grüße, café, naïve'],
      ['CJK', '中文テキスト한국어'],
      ['emoji and ZWJ sequences', '😀 👩‍💻 🇫🇷'],
      ['right-to-left text', 'مرحبا שלום'],
      ['surrounding whitespace', '  padded\t'],
      ['a leading byte order mark', '\ufeffkey'],
      ['only a byte order mark', '\ufeff'],
      ['control characters', 'a\u0001b\u001fc\u007f'],
    ] as const;

    it.each(samples)('round-trips %s in key, tags and attributes, byte for byte', async (_name, text) => {
      const { id } = await repository.insert(randomUUID(), newOwner(), content({
        key: text,
        nested: { field1: 1, field2: text },
        tags: [text],
        attributes: { [text]: text },
      }));
      const found = await repository.find(id, 'all');
      expect(found).toMatchObject({ key: text, nested: { field1: 1, field2: text }, tags: [text], attributes: { [text]: text } });
      expect((await rawColumns(id)).key_bytes).toBe(Buffer.byteLength(text, 'utf8'));
    });

    it('keeps composed and decomposed forms apart', async () => {
      const owner = newOwner();
      const composed = 'caf\u00e9';
      const decomposed = 'cafe\u0301';
      const a = await repository.insert(randomUUID(), owner, content({ key: composed }));
      const b = await repository.insert(randomUUID(), owner, content({ key: decomposed }));
      expect((await repository.list({ owner }, { limit: 10, key: composed })).map((row) => row.id)).toEqual([a.id]);
      expect((await repository.list({ owner }, { limit: 10, key: decomposed })).map((row) => row.id)).toEqual([b.id]);
      expect((await repository.find(b.id, 'all'))!.key).toBe(decomposed);
    });
  });
});
