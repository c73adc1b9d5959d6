import { randomUUID } from 'node:crypto';
import { testBackends } from '../../setup/backends.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { expectError, expectSuccess, uniqueSub, useDataSuite } from './data-api.helper.js';

describe.each(testBackends())('data conditional requests (%s)', (backend) => {
  const suite = useDataSuite(backend);

  describe('GET with If-None-Match', () => {
    it.each([
      ['the current tag', '"1"'],
      ['the weak form of the current tag', 'W/"1"'],
      ['*', '*'],
      ['a list containing the current tag', '"7", "1"'],
      ['a list of weak tags containing it', 'W/"9",W/"1"'],
    ])('%s answers 304 with an empty body and the ETag', async (_name, header) => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.get(caller, created.id, { 'if-none-match': header });
      expect(res.statusCode).toBe(304);
      expect(res.body).toBe('');
      expect(res.headers.etag).toBe('"1"');
    });

    it.each([
      ['another version', '"2"'],
      ['another weak version', 'W/"2"'],
      ['a list without the current tag', '"2", "3"'],
      ['an unquoted tag', '1'],
    ])('%s answers 200 with the record', async (_name, header) => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.get(caller, created.id, { 'if-none-match': header });
      expectSuccess(res, 200);
      expect(res.json().data).toEqual(created);
      expect(res.headers.etag).toBe('"1"');
    });

    it('follows the version: the old tag gets 200 after a PUT, the new one 304', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      expectSuccess(await suite.api.put(caller, created.id, recordBody({ key: 'v2' })), 200);

      const stale = await suite.api.get(caller, created.id, { 'if-none-match': '"1"' });
      expectSuccess(stale, 200);
      expect(stale.headers.etag).toBe('"2"');
      expect(stale.json().data.key).toBe('v2');

      const fresh = await suite.api.get(caller, created.id, { 'if-none-match': '"2"' });
      expect(fresh.statusCode).toBe(304);
      expect(fresh.body).toBe('');
    });

    it('does not reveal another owner\'s record: If-None-Match: * still gets 404', async () => {
      const created = await suite.api.create({ sub: uniqueSub('alice') }, recordBody());
      const res = await suite.api.get({ sub: uniqueSub('bob') }, created.id, { 'if-none-match': '*' });
      expectError(res, 404, 'NOT_FOUND');
    });

    it('answers 404 for an unknown id whatever If-None-Match says', async () => {
      const res = await suite.api.get({ sub: uniqueSub() }, randomUUID(), { 'if-none-match': '*' });
      expectError(res, 404, 'NOT_FOUND');
    });
  });

  describe('PUT with If-Match', () => {
    it('with the current ETag replaces the record: 200, version 2, ETag "2"', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.put(caller, created.id, recordBody({ key: 'matched' }), { 'if-match': '"1"' });
      expectSuccess(res, 200);
      expect(res.headers.etag).toBe('"2"');
      expect(res.json().data).toMatchObject({ key: 'matched', version: 2 });
    });

    it('with a stale ETag answers 412 PRECONDITION_FAILED and leaves the record unchanged', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const current = (await suite.api.put(caller, created.id, recordBody({ key: 'second' }))).json().data;

      const res = await suite.api.put(caller, created.id, recordBody({ key: 'lost update' }), { 'if-match': '"1"' });

      expectError(res, 412, 'PRECONDITION_FAILED');
      expect(await suite.api.read(caller, created.id)).toEqual(current);
    });

    it.each([
      ['a weak tag (If-Match compares strongly)', 'W/"1"'],
      ['a list without the current tag', '"3", "4"'],
      ['an unquoted tag', '1'],
    ])('with %s answers 412 and leaves the record unchanged', async (_name, header) => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.put(caller, created.id, recordBody({ key: 'nope' }), { 'if-match': header });
      expectError(res, 412, 'PRECONDITION_FAILED');
      expect(await suite.api.read(caller, created.id)).toEqual(created);
    });

    it.each([
      ['*', '*'],
      ['a list containing the current tag', '"9", "1"'],
    ])('with %s replaces the record', async (_name, header) => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const res = await suite.api.put(caller, created.id, recordBody({ key: 'ok' }), { 'if-match': header });
      expectSuccess(res, 200);
      expect(res.json().data.version).toBe(2);
    });

    it('lets exactly one of two concurrent writers holding the same ETag win', async () => {
      const caller = { sub: uniqueSub() };
      const created = await suite.api.create(caller, recordBody());
      const results = await Promise.all(
        ['first', 'second'].map((key) => suite.api.put(caller, created.id, recordBody({ key }), { 'if-match': '"1"' })),
      );
      expect(results.map((res) => res.statusCode).sort()).toEqual([200, 412]);
      const winner = results.find((res) => res.statusCode === 200)!.json().data;
      expectError(results.find((res) => res.statusCode === 412)!, 412, 'PRECONDITION_FAILED');
      expect(await suite.api.read(caller, created.id)).toEqual(winner);
      expect(winner.version).toBe(2);
    });

    it('answers 404, not 412, for an unknown id or another owner\'s record', async () => {
      const created = await suite.api.create({ sub: uniqueSub('alice') }, recordBody());
      const bob = { sub: uniqueSub('bob') };
      expectError(await suite.api.put(bob, randomUUID(), recordBody(), { 'if-match': '"1"' }), 404, 'NOT_FOUND');
      expectError(await suite.api.put(bob, created.id, recordBody(), { 'if-match': '"5"' }), 404, 'NOT_FOUND');
    });
  });
});
