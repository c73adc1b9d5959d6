import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type JwtHeader } from 'jsonwebtoken';
import { token } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { jwkOf, type JwksServer, startJwksServer } from './jwks.server.js';
import { bearerOf, craftToken, validClaims } from './jwt.crafting.js';
import { expectAccepted, expectUnauthorized } from './unauthorized.assertions.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });

const OCT_SECRET = 'symmetric-key-a-careless-idp-published!!';
const PUBLISHED = () => [
  jwkOf(rsa.publicKey, 'rsa-1', 'RS256'),
  jwkOf(ec.publicKey, 'ec-1', 'ES256'),
  // A shared secret must never become a verification key, even when the JWKS publishes one.
  { kty: 'oct', k: Buffer.from(OCT_SECRET).toString('base64url'), kid: 'oct-1', alg: 'HS256', use: 'sig' },
];

function signed(privateKey: KeyObject, algorithm: Algorithm, header: Partial<JwtHeader>, claims: Record<string, unknown> = {}) {
  return jwt.sign(validClaims(claims), privateKey, { algorithm, header: { alg: algorithm, ...header } });
}

const admin = () => bearerOf(signed(rsa.privateKey, 'RS256', { kid: 'rsa-1' }, { sub: 'auditor', scope: 'data:admin' }));

async function jwksApp(url: string): Promise<TestApp> {
  return createTestApp({ auth: { verification: { kind: 'jwks', url, algorithms: ['RS256', 'ES256'] } } });
}

describe('JWKS mode', () => {
  let jwks: JwksServer;
  let attackerKeys: JwksServer;
  let t: TestApp;
  const reject = (value: string) => expectUnauthorized(t.app, bearerOf(value), admin());

  beforeAll(async () => {
    jwks = await startJwksServer(PUBLISHED());
    attackerKeys = await startJwksServer([jwkOf(attacker.publicKey, 'attacker', 'RS256')]);
    t = await jwksApp(jwks.url);
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
    await attackerKeys?.close();
  });

  it('accepts an RS256 token whose kid is published', async () => {
    await expectAccepted(t.app, bearerOf(signed(rsa.privateKey, 'RS256', { kid: 'rsa-1' })));
    expect(jwks.requests.length).toBeGreaterThan(0);
  });

  it('accepts an ES256 token whose kid is published', async () => {
    await expectAccepted(t.app, bearerOf(signed(ec.privateKey, 'ES256', { kid: 'ec-1' })));
  });

  it.each([
    ['an unknown kid', () => signed(rsa.privateKey, 'RS256', { kid: 'rsa-2' })],
    ['a published kid but the attacker key', () => signed(attacker.privateKey, 'RS256', { kid: 'rsa-1' })],
    ['the RSA key under the EC kid', () => signed(rsa.privateKey, 'RS256', { kid: 'ec-1' })],
    ['no kid while several keys are published', () => signed(rsa.privateKey, 'RS256', {})],
    ['HS256 with the test secret', () => token({ sign: { header: { alg: 'HS256', kid: 'rsa-1' } } })],
    ['alg none', () => craftToken({ alg: 'none', kid: 'rsa-1' }, validClaims())],
    [
      'HS256 signed with the published RSA key PEM (algorithm confusion)',
      () => craftToken({ alg: 'HS256', kid: 'rsa-1' }, validClaims(), rsa.publicKey.export({ format: 'pem', type: 'spki' })),
    ],
    ['HS256 signed with a symmetric key the JWKS publishes', () => craftToken({ alg: 'HS256', kid: 'oct-1' }, validClaims(), OCT_SECRET)],
    [
      'an RS256 token without exp',
      () => jwt.sign({ sub: 'alice', scope: 'data:read' }, rsa.privateKey, { algorithm: 'RS256', keyid: 'rsa-1' }),
    ],
  ])('refuses %s', async (_label, make) => {
    await reject(make());
  });

  it.each(['jku', 'x5u'])('never fetches a %s header pointing at another server', async (param) => {
    await reject(signed(attacker.privateKey, 'RS256', { kid: 'attacker', [param]: attackerKeys.url }));
    expect(attackerKeys.requests).toHaveLength(0);
  });
});

describe('JWKS mode under unknown-kid flooding', () => {
  const REQUESTS_PER_MINUTE = 10;
  let jwks: JwksServer;
  let t: TestApp;

  beforeAll(async () => {
    jwks = await startJwksServer(PUBLISHED());
    t = await jwksApp(jwks.url);
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
  });

  it(`fetches the JWKS at most ${REQUESTS_PER_MINUTE} times however many unknown kids arrive`, async () => {
    const known = bearerOf(signed(rsa.privateKey, 'RS256', { kid: 'rsa-1' }));
    expect((await t.app.inject({ method: 'GET', url: '/api/data', headers: known })).statusCode).toBe(200);

    const kids = [...Array.from({ length: 40 }, (_, i) => `unknown-${i}`), ...Array<string>(20).fill('unknown-repeated')];
    const codes = new Set<string>();
    for (const kid of kids) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/data',
        headers: bearerOf(signed(rsa.privateKey, 'RS256', { kid })),
      });
      // 401 while the JWKS can be asked; once the refetch budget is spent the key cannot be
      // looked up, which is the service's limit, not proof the token is bad: 503, retry later.
      expect([401, 503]).toContain(res.statusCode);
      codes.add(res.json().error.code);
    }
    expect([...codes].sort()).toEqual(['SERVICE_UNAVAILABLE', 'UNAUTHORIZED']);
    expect(jwks.requests.length).toBeLessThanOrEqual(REQUESTS_PER_MINUTE);

    // The key already cached keeps working while unknown kids are being refused.
    expect((await t.app.inject({ method: 'GET', url: '/api/data', headers: known })).statusCode).toBe(200);
  });
});

describe('JWKS mode with the identity provider unreachable', () => {
  let t: TestApp;

  beforeAll(async () => {
    // A server that is started and closed again: its port refuses connections.
    const gone = await startJwksServer(PUBLISHED());
    await gone.close();
    t = await jwksApp(gone.url);
  });
  afterAll(() => t?.close());

  it('answers 503 SERVICE_UNAVAILABLE, not 401: the token could not be checked, it was not refused', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/data',
      headers: bearerOf(signed(rsa.privateKey, 'RS256', { kid: 'rsa-1' })),
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'error', error: { code: 'SERVICE_UNAVAILABLE' } });
  });
});
