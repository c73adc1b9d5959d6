import { randomUUID } from 'node:crypto';
import { testBackends } from '../../setup/backends.js';
import { minimalRecordBody, recordBody } from '../../factories/record-body.factory.js';
import {
  expectError,
  expectSuccess,
  ISO_TIMESTAMP,
  JSON_TYPE,
  uniqueSub,
  useDataSuite,
  UUID,
} from './data-api.helper.js';

describe.each(testBackends())('data records: create, read, replace, delete (%s)', (backend) => {
  const suite = useDataSuite(backend);

  describe('POST /api/data', () => {
    it('stores the record and answers 201 with Location, ETag "1" and the stored record', async () => {
      const caller = { sub: uniqueSub() };
      const body = recordBody();
      const res = await suite.api.post(caller, body);

      expectSuccess(res, 201);
      const record = res.json().data;
      expect(record).toEqual({
        id: expect.stringMatching(UUID),
        key: body.key,
        nested: body.nested,
        tags: body.tags,
        attributes: body.attributes,
        owner: caller.sub,
        version: 1,
        createdAt: expect.stringMatching(ISO_TIMESTAMP),
        updatedAt: record.createdAt,
      });
      expect(res.headers.location).toBe(`/api/data/${record.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(await suite.api.read(caller, record.id)).toEqual(record);
    });

    it('stores the article example', async () => {
      const caller = { sub: uniqueSub() };
      const record = await suite.api.create(caller, { key: 'test_value', nested: { field1: 123, field2: 'example' } });
      expect(record).toMatchObject({ key: 'test_value', nested: { field1: 123, field2: 'example' }, tags: [], attributes: {} });
    });

    it('gives absent optional fields their empty values: nested null, tags [], attributes {}', async () => {
      const caller = { sub: uniqueSub() };
      const record = await suite.api.create(caller, minimalRecordBody('only-key'));
      expect(record).toMatchObject({ key: 'only-key', nested: null, tags: [], attributes: {} });
    });

    it('treats explicit nulls for optional fields like absent ones', async () => {
      const caller = { sub: uniqueSub() };
      const record = await suite.api.create(caller, { key: 'nulls', nested: null, tags: null, attributes: null });
      expect(record).toMatchObject({ nested: null, tags: [], attributes: {} });
    });

    it('owns the record by the token subject, with a fresh id each time', async () => {
      const caller = { sub: uniqueSub() };
      const first = await suite.api.create(caller, recordBody({ key: 'same' }));
      const second = await suite.api.create(caller, recordBody({ key: 'same' }));
      expect(first.owner).toBe(caller.sub);
      expect(second.id).not.toBe(first.id);
      expect(await suite.api.count(caller)).toBe(2);
    });
  });

  describe('GET /api/data/:id', () => {
    it('answers 200 with the record and its ETag', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.get(caller, created.id);
      expectSuccess(res, 200);
      expect(res.json().data).toEqual(created);
      expect(res.headers.etag).toBe('"1"');
    });

    it('accepts the id in upper case (UUIDs are case-insensitive)', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.get(caller, created.id.toUpperCase());
      expectSuccess(res, 200);
      expect(res.json().data.id).toBe(created.id);
    });

    it('answers 404 NOT_FOUND for an id that does not exist', async () => {
      const res = await suite.api.get({ sub: uniqueSub() }, randomUUID());
      expectError(res, 404, 'NOT_FOUND');
    });

    it.each([
      ['not a UUID', 'not-a-uuid'],
      ['a number', '12345'],
      ['a UUID with an extra character', `${randomUUID()}0`],
      ['a UUID without dashes', randomUUID().replaceAll('-', '')],
      ['an encoded NUL', '%00'],
      ['a SQL fragment', "1'%20OR%20'1'='1"],
    ])('answers 404 NOT_FOUND for a malformed id (%s), never 400 or 500', async (_name, id) => {
      const res = await suite.api.get({ sub: uniqueSub() }, id);
      expectError(res, 404, 'NOT_FOUND');
    });
  });

  describe('PUT /api/data/:id', () => {
    it('replaces the content, bumps the version and the ETag, keeps id, owner and createdAt', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const replacement = recordBody({
        key: 'replaced',
        nested: { field1: -7, field2: 'changed' },
        tags: ['gamma'],
        attributes: { other: [1, 2, 3] },
      });

      const res = await suite.api.put(caller, created.id, replacement);

      expectSuccess(res, 200);
      expect(res.headers.etag).toBe('"2"');
      const updated = res.json().data;
      expect(updated).toEqual({
        ...replacement,
        id: created.id,
        owner: caller.sub,
        version: 2,
        createdAt: created.createdAt,
        updatedAt: expect.stringMatching(ISO_TIMESTAMP),
      });
      expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
      expect(await suite.api.read(caller, created.id)).toEqual(updated);
    });

    it('resets fields absent from the body: nested null, tags [], attributes {}', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.put(caller, created.id, { key: 'bare' });
      expectSuccess(res, 200);
      expect(res.json().data).toMatchObject({ key: 'bare', nested: null, tags: [], attributes: {}, version: 2 });
      expect(await suite.api.read(caller, created.id)).toMatchObject({ nested: null, tags: [], attributes: {} });
    });

    it('counts versions up on every replacement', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      for (const version of [2, 3, 4]) {
        const res = await suite.api.put(caller, created.id, recordBody({ key: `v${version}` }));
        expect(res.json().data.version).toBe(version);
        expect(res.headers.etag).toBe(`"${version}"`);
      }
    });

    it('answers 404 NOT_FOUND for an unknown id and creates nothing', async () => {
      const caller = { sub: uniqueSub() };
      const res = await suite.api.put(caller, randomUUID(), recordBody());
      expectError(res, 404, 'NOT_FOUND');
      expect(await suite.api.count(caller)).toBe(0);
    });

    it('answers 404 NOT_FOUND for a malformed id', async () => {
      const res = await suite.api.put({ sub: uniqueSub() }, 'not-a-uuid', recordBody());
      expectError(res, 404, 'NOT_FOUND');
    });

    it('validates the body like POST and leaves the record unchanged', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.put(caller, created.id, { key: '', extra: true });
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(await suite.api.read(caller, created.id)).toEqual(created);
    });
  });

  describe('DELETE /api/data/:id', () => {
    it('answers 204 with an empty body, after which GET and a second DELETE are 404', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());

      const res = await suite.api.delete(caller, created.id);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');

      expectError(await suite.api.get(caller, created.id), 404, 'NOT_FOUND');
      expectError(await suite.api.delete(caller, created.id), 404, 'NOT_FOUND');
      expect(await suite.api.count(caller)).toBe(0);
    });

    it('deletes only the named record', async () => {
      const caller = { sub: uniqueSub() };
      const kept = await suite.api.create(caller, recordBody({ key: 'kept' }));
      const gone = await suite.api.create(caller, recordBody({ key: 'gone' }));
      expect((await suite.api.delete(caller, gone.id)).statusCode).toBe(204);
      expect((await suite.api.listAll(caller)).map((record) => record.id)).toEqual([kept.id]);
    });

    it('answers 404 NOT_FOUND for an unknown or malformed id', async () => {
      const caller = { sub: uniqueSub() };
      expectError(await suite.api.delete(caller, randomUUID()), 404, 'NOT_FOUND');
      expectError(await suite.api.delete(caller, 'nope'), 404, 'NOT_FOUND');
    });
  });

  describe('UTF-8 and JSON round trip', () => {
    it.each([
      ['CJK with a check mark', '测试数据 ✓'],
      ['emoji with a skin tone and a ZWJ sequence', '🎉 👍🏽 👩‍💻'],
      ['combining accents, kept unnormalized', 'e\u0301 é'],
      ['leading and trailing spaces', '  padded  '],
      ['tabs and newlines', '\tline1\nline2\r\n'],
      ['JSON-significant characters', '"quoted" \\ back/slash {}[]'],
    ])('stores and returns the key byte-exact: %s', async (_name, key) => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, { key });
      expect(created.key).toBe(key);
      const res = await suite.api.get(caller, created.id);
      expect(res.json().data.key).toBe(key);
      // The UTF-8 bytes themselves come back, not a re-encoded or escaped variant.
      expect(res.rawPayload.includes(Buffer.from(JSON.stringify(key), 'utf8'))).toBe(true);
    });

    it('round-trips non-ASCII text in nested.field2, tags and attributes keys and values', async () => {
      const caller = { sub: uniqueSub() };
      const body = recordBody({
        key: '测试数据 ✓',
        nested: { field1: 1, field2: 'ünïcödé 😀' },
        tags: ['标签', '🏷️'],
        attributes: { 'ключ': 'значение', '😀': ['✓', { 'ß': 'ẞ' }] },
      });
      const created = await suite.api.create(caller, body);
      expect(await suite.api.read(caller, created.id)).toMatchObject(body);
    });

    it('keeps attributes key order and number spelling (e.g. {"b":1,"a":2.5})', async () => {
      const caller = { sub: uniqueSub() };
      const attributes = '{"b":1,"a":2.5,"z":{"y":[3,2,1],"x":-0.5},"m":1.5e-7,"max":9007199254740991,"t":true,"n":null}';
      const res = await suite.api.postRaw(caller, `{"key":"order","attributes":${attributes}}`, { 'content-type': JSON_TYPE });
      expectSuccess(res, 201);
      expect(res.body).toContain(`"attributes":${attributes}`);
      const read = await suite.api.get(caller, res.json().data.id);
      expect(read.body).toContain(`"attributes":${attributes}`);
    });

    it('reads attributes back as the JSON values sent: numbers as IEEE 754 doubles, integer-like keys first', async () => {
      // Documented behaviour: attributes are parsed JSON, so 1.0 and 1e2 come back as 1 and 100
      // and integer-like keys lead, exactly as JSON.parse + JSON.stringify would have it.
      const caller = { sub: uniqueSub() };
      const sent = '{"b":1,"10":2,"one":1.0,"hundred":1e2,"half":0.50,"2":4}';
      const res = await suite.api.postRaw(caller, `{"key":"canonical","attributes":${sent}}`, { 'content-type': JSON_TYPE });
      expectSuccess(res, 201);
      const read = await suite.api.get(caller, res.json().data.id);
      expect(read.body).toContain(`"attributes":${JSON.stringify(JSON.parse(sent))}`);
      expect(read.body).toContain('"attributes":{"2":4,"10":2,"b":1,"one":1,"hundred":100,"half":0.5}');
    });

    it.each(['12345678901234567890', '-9007199254740993', '1e300'])(
      'refuses attributes number %s, beyond ±(2^53-1), rather than store it rounded',
      async (big) => {
        const caller = { sub: uniqueSub() };
        const res = await suite.api.postRaw(caller, `{"key":"big","attributes":{"n":${big}}}`, { 'content-type': JSON_TYPE });
        expectError(res, 400, 'VALIDATION_FAILED');
        expect(await suite.api.count(caller)).toBe(0);
      },
    );
  });
});
