import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { EXPORT_BATCH_SIZE } from '../../../src/modules/data/data.service.js';
import type { DataRecord } from '../../../src/modules/data/data.record.js';
import { testBackends } from '../../setup/backends.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { bearer } from '../../helpers/tokens.js';
import { type Caller, expectError, expectFieldError, uniqueSub, useDataSuite } from './data-api.helper.js';
import { type BatchCounter, bulkInsert, countBatches, exportRecords, NDJSON_RESPONSE_TYPE, parseNdjson } from './export.helper.js';

const READ = 'data:read';
const ADMIN = 'data:admin';

describe.each(testBackends())('GET /api/data/export (%s)', (backend) => {
  const suite = useDataSuite(backend);
  let batches: BatchCounter | undefined;
  afterEach(() => batches?.restore());

  /** Creates records one after another through the API; returns them oldest first. */
  async function createMany(caller: Caller, bodies: Array<ReturnType<typeof recordBody>>): Promise<DataRecord[]> {
    const records: DataRecord[] = [];
    for (const body of bodies) records.push(await suite.api.create(caller, body));
    return records;
  }

  async function exported(caller: Caller, query = ''): Promise<DataRecord[]> {
    const res = await exportRecords(suite.app, caller, query);
    expect(res.statusCode).toBe(200);
    return parseNdjson(res.body);
  }

  describe('body', () => {
    it('answers NDJSON without an envelope: one record per line, each ended by \\n, each exactly as GET returns it', async () => {
      const caller = { sub: uniqueSub('export'), scope: `${READ} data:write` };
      const records = await createMany(caller, [
        recordBody({ key: 'first' }),
        recordBody({ key: 'line\nbreak \u2028 and "quotes"', nested: null, tags: [] }),
        recordBody({ key: '\ufeffbom-ключ-🔑', attributes: { z: 1, a: [1.5, 'x', null], nested: { deep: { er: true } }, 10: 'ten', 2: 'two' } }),
      ]);
      const res = await exportRecords(suite.app, caller, '', { 'x-request-id': 'export-trace-1' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(NDJSON_RESPONSE_TYPE);
      expect(res.headers['x-request-id']).toBe('export-trace-1');
      expect(res.headers['x-cache']).toBeUndefined();
      const lines = res.body.split('\n');
      expect(lines).toHaveLength(records.length + 1);
      expect(lines.at(-1)).toBe('');
      for (const [i, record] of records.entries()) {
        const fromGet = (await suite.api.get(caller, record.id)).json().data as DataRecord;
        // Byte for byte the JSON of GET's `data`: same fields, same order, same escapes.
        expect(lines[i]).toBe(JSON.stringify(fromGet));
      }
    });

    it('answers an empty body (200) when the caller has no records', async () => {
      const res = await exportRecords(suite.app, { sub: uniqueSub('nobody') });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(NDJSON_RESPONSE_TYPE);
      expect(res.body).toBe('');
    });

    it('lists records oldest first by insertion, whatever was updated since', async () => {
      const caller = { sub: uniqueSub('order') };
      const records = await createMany(
        caller,
        Array.from({ length: 12 }, (_, i) => recordBody({ key: `k${i}` })),
      );
      await suite.api.put(caller, records[0].id, recordBody({ key: 'k0-updated' }));
      const ids = (await exported(caller)).map((record) => record.id);
      expect(ids).toEqual(records.map((record) => record.id));
    });

    it('reads more than one batch without gaps or repeats, one query per batch', async () => {
      const owner = uniqueSub('batches');
      const count = 2 * EXPORT_BATCH_SIZE + 1;
      await bulkInsert(suite.app, owner, count, 10);
      batches = countBatches(suite.app);
      const records = await exported({ sub: owner });
      expect(records.map((record) => record.nested!.field1)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
      expect(new Set(records.map((record) => record.id)).size).toBe(count);
      expect(batches.calls).toBe(3);
    });

    it('is not cached: a record created after one export is in the next', async () => {
      const caller = { sub: uniqueSub('fresh') };
      await createMany(caller, [recordBody({ key: 'one' })]);
      expect(await exported(caller)).toHaveLength(1);
      await createMany(caller, [recordBody({ key: 'two' })]);
      expect((await exported(caller)).map((record) => record.key)).toEqual(['one', 'two']);
    });

    it('answers HEAD with the headers only, without reading records', async () => {
      const caller = { sub: uniqueSub('head') };
      await createMany(caller, [recordBody()]);
      batches = countBatches(suite.app);
      const res = await suite.app.inject({ method: 'HEAD', url: '/api/data/export', headers: bearer({ sub: caller.sub, scope: READ }) });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(NDJSON_RESPONSE_TYPE);
      expect(res.body).toBe('');
      expect(batches.calls).toBe(0);
    });
  });

  describe('compression', () => {
    it.each([
      ['gzip', gunzipSync],
      ['br', brotliDecompressSync],
    ])('sends %s when accepted, decoding to the same NDJSON', async (encoding, decode) => {
      const owner = { sub: uniqueSub('compressed') };
      await bulkInsert(suite.app, owner.sub, 50);
      const identity = await exportRecords(suite.app, owner);
      const res = await exportRecords(suite.app, owner, '', { 'accept-encoding': encoding });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.headers['content-type']).toBe(NDJSON_RESPONSE_TYPE);
      expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
      expect(res.rawPayload.length).toBeLessThan(identity.rawPayload.length / 4);
      expect(decode(res.rawPayload).toString('utf8')).toBe(identity.body);
      expect(parseNdjson(identity.body)).toHaveLength(50);
    });
  });

  describe('filters', () => {
    it('keeps only records with exactly the given key', async () => {
      const caller = { sub: uniqueSub('key') };
      const records = await createMany(caller, ['wanted', 'Wanted', 'wanted ', 'wanted', 'other'].map((key) => recordBody({ key })));
      const keys = await exported(caller, 'key=wanted');
      expect(keys.map((record) => record.id)).toEqual([records[0].id, records[3].id]);
      expect(await exported(caller, `key=${encodeURIComponent('wanted ')}`)).toEqual([records[2]]);
      expect(await exported(caller, 'key=missing')).toEqual([]);
    });

    it('keeps only records updated at or after since, in any accepted form', async () => {
      const caller = { sub: uniqueSub('since') };
      const [old, middle] = await createMany(caller, [recordBody({ key: 'old' }), recordBody({ key: 'middle' })]);
      // Stored times have milliseconds: wait for the next one so "updated after" is strict.
      await new Promise((resolve) => setTimeout(resolve, 5));
      const newer = (await suite.api.put(caller, old.id, recordBody({ key: 'old-updated' }))).json().data as DataRecord;
      const since = newer.updatedAt;
      expect(since > middle.updatedAt).toBe(true);

      expect((await exported(caller, `since=${since}`)).map((record) => record.id)).toEqual([old.id]);
      // The same instant with an offset: +02:00 means two hours later on the wall clock.
      const shifted = new Date(Date.parse(since) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      expect((await exported(caller, `since=${encodeURIComponent(shifted)}`)).map((record) => record.id)).toEqual([old.id]);
      // One millisecond later excludes it; the record's own instant is included (at or after).
      const later = new Date(Date.parse(since) + 1).toISOString();
      expect(await exported(caller, `since=${later}`)).toEqual([]);
      expect((await exported(caller, `since=${middle.updatedAt}`)).map((record) => record.key)).toEqual(['old-updated', 'middle']);
      // A date is midnight UTC.
      expect(await exported(caller, 'since=1970-01-01')).toHaveLength(2);
      expect(await exported(caller, 'since=9999-12-31')).toEqual([]);
    });

    it('combines key and since', async () => {
      const caller = { sub: uniqueSub('both') };
      const [a, , c] = await createMany(caller, ['x', 'y', 'x'].map((key) => recordBody({ key })));
      expect((await exported(caller, `key=x&since=${a.updatedAt}`)).map((record) => record.id)).toEqual([a.id, c.id]);
      expect(await exported(caller, `key=y&since=2999-01-01`)).toEqual([]);
    });
  });

  describe('ownership and scopes', () => {
    it("never includes other owners' records", async () => {
      const alice = { sub: uniqueSub('alice') };
      const bob = { sub: uniqueSub('bob') };
      const key = `shared-${uniqueSub()}`;
      const [mine] = await createMany(alice, [recordBody({ key })]);
      await createMany(bob, [recordBody({ key }), recordBody({ key })]);
      expect(await exported(alice, `key=${key}`)).toEqual([mine]);
      expect((await exported(alice)).every((record) => record.owner === alice.sub)).toBe(true);
    });

    it("gives data:admin every owner's records", async () => {
      const alice = { sub: uniqueSub('alice') };
      const bob = { sub: uniqueSub('bob') };
      const key = `admin-${uniqueSub()}`;
      const [a] = await createMany(alice, [recordBody({ key })]);
      const [b] = await createMany(bob, [recordBody({ key })]);
      expect(await exported({ sub: uniqueSub('admin'), scope: ADMIN }, `key=${key}`)).toEqual([a, b]);
    });

    it('answers 401 without a token and 403 without data:read', async () => {
      expectError(await suite.app.inject({ method: 'GET', url: '/api/data/export' }), 401, 'UNAUTHORIZED');
      expectError(await exportRecords(suite.app, { sub: uniqueSub(), scope: 'data:write' }), 403, 'FORBIDDEN');
    });
  });

  describe('bad input', () => {
    it.each([
      ['since=yesterday', 'since'],
      ['since=2026-11-25T10:47:06', 'since'],
      ['since=2026-02-30', 'since'],
      ['since=', 'since'],
      ['since=2026-11-25&since=2026-11-26', 'since'],
      ['key=', 'key'],
      ['key=a&key=b', 'key'],
      [`key=${'k'.repeat(257)}`, 'key'],
      ['key=a%00b', 'key'],
      ['limit=10', 'limit'],
      ['cursor=abc', 'cursor'],
      ['format=csv', 'format'],
      ['__proto__=x', '__proto__'],
    ].map(([query, field]) => [query.length > 40 ? `${query.slice(0, 12)}… (${query.length - 4} characters)` : query, query, field]))(
      'answers ?%s with the 400 VALIDATION_FAILED envelope naming the field, before any line',
      async (_label, query, field) => {
      batches = countBatches(suite.app);
      const res = await exportRecords(suite.app, { sub: uniqueSub() }, query);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      if (field === '__proto__') expectError(res, 400, 'VALIDATION_FAILED');
      else expectFieldError(res, field);
      expect(batches.calls).toBe(0);
      },
    );
  });

  describe('database failures before the first byte', () => {
    it('answers the 500 INTERNAL_ERROR envelope when the first batch fails unexpectedly', async () => {
      batches = countBatches(suite.app, { call: 1, error: new Error('relation "records" is broken') });
      const res = await exportRecords(suite.app, { sub: uniqueSub() });
      expectError(res, 500, 'INTERNAL_ERROR');
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).not.toContain('broken');
    });

    it('answers the 503 SERVICE_UNAVAILABLE envelope with Retry-After when the database is gone', async () => {
      const gone = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      batches = countBatches(suite.app, { call: 1, error: gone });
      const res = await exportRecords(suite.app, { sub: uniqueSub() });
      expectError(res, 503, 'SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('1');
    });
  });
});
