import { randomUUID } from 'node:crypto';
import { bearer, token } from '../../helpers/tokens.js';
import { testBackends } from '../../setup/backends.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { BARE_CHALLENGE, expectAccepted, expectUnauthorized } from './unauthorized.assertions.js';

const admin = () => bearer({ sub: 'auditor', scope: 'data:admin' });

describe.each(testBackends())('Authorization header and scopes (%s)', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ backend });
  });
  afterAll(() => t?.close());

  it('accepts a valid bearer token on GET and POST', async () => {
    await expectAccepted(t.app, bearer());
  });

  it('treats the scheme case-insensitively (RFC 7235)', async () => {
    await expectAccepted(t.app, { authorization: `bearer ${token()}` });
  });

  describe('without a bearer token: 401 with a bare challenge', () => {
    it('no Authorization header', async () => {
      await expectUnauthorized(t.app, {}, admin(), BARE_CHALLENGE);
    });

    it.each([
      ['Basic', `Basic ${Buffer.from('alice:secret').toString('base64')}`],
      ['Token', `Token ${token()}`],
      ['no scheme', token()],
      ['Bearer alone', 'Bearer'],
      ['Bearer with an empty token', 'Bearer '],
      ['Bearer with only spaces', 'Bearer    '],
    ])('%s', async (_label, authorization) => {
      await expectUnauthorized(t.app, { authorization }, admin(), BARE_CHALLENGE);
    });
  });

  describe('a bearer header that is not exactly one token: 401 invalid_token', () => {
    it.each([
      ['a valid token followed by trailing text', () => `Bearer ${token()} trailing`],
      ['two valid tokens', () => `Bearer ${token()} ${token()}`],
      ['a valid token joined to the scheme by a tab', () => `Bearer\t${token()}`],
    ])('%s', async (_label, authorization) => {
      await expectUnauthorized(t.app, { authorization: authorization() }, admin());
    });
  });

  describe('scopes', () => {
    it('answers a token without data:read with 403 FORBIDDEN and an insufficient_scope challenge', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/data', headers: bearer({ scope: 'data:write' }) });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ status: 'error', error: { code: 'FORBIDDEN' } });
      expect(res.headers['www-authenticate']).toBe('Bearer realm="data-api", error="insufficient_scope", scope="data:read"');
    });

    it.each([
      ['only data:read', 'data:read'],
      ['no scope at all', ''],
      ['a scope outside data:', 'files:write'],
    ])('refuses a POST with %s and stores nothing', async (_label, scope) => {
      const key = `forbidden-${randomUUID()}`;
      const res = await t.app.inject({ method: 'POST', url: '/api/data', headers: bearer({ scope }), payload: { key } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
      expect(res.headers['www-authenticate']).toContain('error="insufficient_scope"');
      const list = await t.app.inject({ method: 'GET', url: `/api/data?key=${key}`, headers: admin() });
      expect(list.statusCode).toBe(200);
      expect(list.json().data).toEqual([]);
    });

    it('accepts the scope claim as an array', async () => {
      await expectAccepted(t.app, bearer({ claims: { scope: ['data:read', 'data:write'] } }));
    });

    it('lets data:admin read and write', async () => {
      await expectAccepted(t.app, admin());
    });
  });
});
