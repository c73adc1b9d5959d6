import jwt from 'jsonwebtoken';
import { testBackends } from '../../setup/backends.js';
import { TEST_JWT_SECRET, token } from '../../helpers/tokens.js';
import { recordBody } from '../../factories/record-body.factory.js';
import { expectError, expectSuccess, READ_WRITE, uniqueSub, useDataSuite } from './data-api.helper.js';

const READ = 'data:read';
const WRITE = 'data:write';
const ADMIN = 'data:admin';
const OTHER_SECRET = 'another-secret-that-is-at-least-32-bytes!';

describe.each(testBackends())('data ownership and scopes (%s)', (backend) => {
  const suite = useDataSuite(backend);

  describe('authentication', () => {
    const routes = [
      ['POST', '/api/data'],
      ['GET', '/api/data'],
      ['GET', '/api/data/00000000-0000-4000-8000-000000000000'],
      ['PUT', '/api/data/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/api/data/00000000-0000-4000-8000-000000000000'],
    ] as const;

    it.each(routes)('%s %s without a token answers 401 UNAUTHORIZED with a Bearer challenge', async (method, url) => {
      const res = await suite.app.inject({ method, url, payload: method === 'POST' || method === 'PUT' ? { key: 'a' } : undefined });
      expectError(res, 401, 'UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="data-api"');
    });

    it.each([
      ['expired', (sub: string) => token({ sub, expiresIn: -3600 })],
      ['signed with another secret', (sub: string) => jwt.sign({ sub, scope: READ_WRITE }, OTHER_SECRET, { expiresIn: 300 })],
      ['unsigned (alg none)', (sub: string) => jwt.sign({ sub, scope: READ_WRITE }, '', { algorithm: 'none', expiresIn: 300 })],
      ['without exp', (sub: string) => jwt.sign({ sub, scope: READ_WRITE }, TEST_JWT_SECRET)],
      ['not a JWT', () => 'not.a.jwt'],
    ])('a token that is %s answers 401 UNAUTHORIZED and stores nothing', async (_name, makeToken) => {
      const sub = uniqueSub();
      const res = await suite.app.inject({
        method: 'POST',
        url: '/api/data',
        headers: { authorization: `Bearer ${makeToken(sub)}`, 'content-type': 'application/json' },
        payload: JSON.stringify(recordBody()),
      });
      expectError(res, 401, 'UNAUTHORIZED');
      expect(res.headers['www-authenticate']).toContain('error="invalid_token"');
      expect(await suite.api.count({ sub })).toBe(0);
    });
  });

  describe('data:read only', () => {
    it('cannot POST: 403 FORBIDDEN and nothing stored', async () => {
      const reader = { sub: uniqueSub(), scope: READ };
      const res = await suite.api.post(reader, recordBody());
      expectError(res, 403, 'FORBIDDEN');
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
      expect(await suite.api.count({ sub: reader.sub })).toBe(0);
    });

    it('cannot PUT or DELETE its own record: 403 FORBIDDEN and the record is unchanged', async () => {
      const sub = uniqueSub();
      const created = await suite.api.create({ sub }, recordBody());
      const reader = { sub, scope: READ };

      expectError(await suite.api.put(reader, created.id, recordBody({ key: 'changed' })), 403, 'FORBIDDEN');
      expectError(await suite.api.delete(reader, created.id), 403, 'FORBIDDEN');
      expect(await suite.api.read(reader, created.id)).toEqual(created);
    });

    it('can GET and list its own records', async () => {
      const sub = uniqueSub();
      const created = await suite.api.create({ sub }, recordBody());
      const reader = { sub, scope: READ };
      expectSuccess(await suite.api.get(reader, created.id), 200);
      const list = await suite.api.list(reader);
      expectSuccess(list, 200);
      expect(list.json().data.map((record: { id: string }) => record.id)).toEqual([created.id]);
    });
  });

  describe('data:write only', () => {
    it('cannot GET a record or list: 403 FORBIDDEN', async () => {
      const writer = { sub: uniqueSub(), scope: WRITE };
      const created = await suite.api.create(writer, recordBody());
      expectError(await suite.api.get(writer, created.id), 403, 'FORBIDDEN');
      expectError(await suite.api.list(writer), 403, 'FORBIDDEN');
    });

    it('can POST, PUT and DELETE its own records', async () => {
      const writer = { sub: uniqueSub(), scope: WRITE };
      const created = await suite.api.create(writer, recordBody());
      expectSuccess(await suite.api.put(writer, created.id, recordBody({ key: 'w2' })), 200);
      expect((await suite.api.delete(writer, created.id)).statusCode).toBe(204);
      expect(await suite.api.count({ sub: writer.sub })).toBe(0);
    });
  });

  it('a token without any data scope gets 403 FORBIDDEN everywhere and changes nothing', async () => {
    const sub = uniqueSub();
    const created = await suite.api.create({ sub }, recordBody());
    const nobody = { sub, scope: 'profile email' };

    expectError(await suite.api.post(nobody, recordBody()), 403, 'FORBIDDEN');
    expectError(await suite.api.list(nobody), 403, 'FORBIDDEN');
    expectError(await suite.api.get(nobody, created.id), 403, 'FORBIDDEN');
    expectError(await suite.api.put(nobody, created.id, recordBody({ key: 'x' })), 403, 'FORBIDDEN');
    expectError(await suite.api.delete(nobody, created.id), 403, 'FORBIDDEN');
    expect(await suite.api.listAll({ sub })).toEqual([created]);
  });

  describe('another user', () => {
    it('gets 404 NOT_FOUND for GET, PUT and DELETE of A\'s record, which stays unchanged', async () => {
      const alice = { sub: uniqueSub('alice') };
      const bob = { sub: uniqueSub('bob') };
      const created = await suite.api.create(alice, recordBody());

      expectError(await suite.api.get(bob, created.id), 404, 'NOT_FOUND');
      expectError(await suite.api.put(bob, created.id, recordBody({ key: 'stolen' })), 404, 'NOT_FOUND');
      expectError(await suite.api.delete(bob, created.id), 404, 'NOT_FOUND');

      expect(await suite.api.read(alice, created.id)).toEqual(created);
      expect(await suite.api.count(bob)).toBe(0);
    });

    it('answers exactly as for an id that does not exist, so ids are not disclosed', async () => {
      const alice = { sub: uniqueSub('alice') };
      const bob = { sub: uniqueSub('bob') };
      const created = await suite.api.create(alice, recordBody());
      const foreign = (await suite.api.get(bob, created.id)).json().error;
      const missing = (await suite.api.get(bob, '00000000-0000-4000-8000-000000000000')).json().error;
      expect(foreign).toEqual(missing);
    });

    it('never sees A\'s records in its list, even filtering by A\'s key', async () => {
      const alice = { sub: uniqueSub('alice') };
      const bob = { sub: uniqueSub('bob') };
      const key = `shared-${uniqueSub()}`;
      await suite.api.create(alice, recordBody({ key }));
      await suite.api.create(alice, recordBody({ key: 'alice-only' }));
      const bobs = await suite.api.create(bob, recordBody({ key }));

      const all = await suite.api.listAll(bob);
      expect(all.map((record) => record.id)).toEqual([bobs.id]);
      const byKey = await suite.api.listAll(bob, `key=${encodeURIComponent(key)}`);
      expect(byKey.map((record) => record.id)).toEqual([bobs.id]);
    });
  });

  describe('data:admin', () => {
    it('sees every owner\'s records in GET and in the list', async () => {
      const admin = { sub: uniqueSub('admin'), scope: ADMIN };
      const alice = { sub: uniqueSub('alice') };
      const bob = { sub: uniqueSub('bob') };
      const key = `admin-view-${uniqueSub()}`;
      const a = await suite.api.create(alice, recordBody({ key }));
      const b = await suite.api.create(bob, recordBody({ key }));

      expect(await suite.api.read(admin, a.id)).toEqual(a);
      const listed = await suite.api.listAll(admin, `key=${encodeURIComponent(key)}`);
      expect(listed.map((record) => record.id)).toEqual([b.id, a.id]);
    });

    it('replaces another owner\'s record without taking it over', async () => {
      const admin = { sub: uniqueSub('admin'), scope: ADMIN };
      const alice = { sub: uniqueSub('alice') };
      const created = await suite.api.create(alice, recordBody());

      const res = await suite.api.put(admin, created.id, recordBody({ key: 'moderated' }));
      expectSuccess(res, 200);
      expect(res.json().data).toMatchObject({ key: 'moderated', owner: alice.sub, version: 2 });
      expect(await suite.api.read(alice, created.id)).toMatchObject({ key: 'moderated', owner: alice.sub });
      expect(await suite.api.count({ sub: admin.sub })).toBe(0);
    });

    it('deletes another owner\'s record', async () => {
      const admin = { sub: uniqueSub('admin'), scope: ADMIN };
      const alice = { sub: uniqueSub('alice') };
      const created = await suite.api.create(alice, recordBody());
      expect((await suite.api.delete(admin, created.id)).statusCode).toBe(204);
      expectError(await suite.api.get(alice, created.id), 404, 'NOT_FOUND');
    });

    it('implies read and write: creates records of its own with data:admin alone', async () => {
      const admin = { sub: uniqueSub('admin'), scope: ADMIN };
      const created = await suite.api.create(admin, recordBody());
      expect(created.owner).toBe(admin.sub);
      expectSuccess(await suite.api.list(admin), 200);
    });

    it('admin records stay invisible to non-admin users', async () => {
      const admin = { sub: uniqueSub('admin'), scope: ADMIN };
      const alice = { sub: uniqueSub('alice') };
      const created = await suite.api.create(admin, recordBody());
      expectError(await suite.api.get(alice, created.id), 404, 'NOT_FOUND');
      expect(await suite.api.count(alice)).toBe(0);
    });
  });
});
