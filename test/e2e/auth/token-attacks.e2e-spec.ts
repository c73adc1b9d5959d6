import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { bearer, TEST_JWT_SECRET, token } from '../../helpers/tokens.js';
import { createTestApp, type TestApp } from '../../setup/create-test-app.js';
import { jwkOf, type JwksServer, startJwksServer } from './jwks.server.js';
import { bearerOf, craftToken, nowS, segment, validClaims } from './jwt.crafting.js';
import { expectAccepted, expectUnauthorized } from './unauthorized.assertions.js';

const ATTACKER_SECRET = 'attacker-secret-that-is-also-32-bytes-long!!';
const HS256_HEADER = { alg: 'HS256', typ: 'JWT' };
const admin = () => bearer({ sub: 'auditor', scope: 'data:admin' });

/** The three segments of a token the app accepts. */
const partsOf = (value = token()) => value.split('.') as [string, string, string];

describe('token attacks (HS256 secret)', () => {
  let t: TestApp;
  const reject = (authorization: string) => expectUnauthorized(t.app, { authorization }, admin());

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('accepts the untouched token every attack below starts from', async () => {
    await expectAccepted(t.app, bearer());
  });

  describe('malformed tokens', () => {
    it.each([
      ['one segment', () => partsOf()[0]],
      ['two segments', () => partsOf().slice(0, 2).join('.')],
      ['four segments', () => `${token()}.${partsOf()[2]}`],
      ['a trailing dot', () => `${token()}.`],
      ['empty segments', () => '..'],
      ['an empty signature', () => `${partsOf().slice(0, 2).join('.')}.`],
    ])('%s', async (_label, make) => {
      await reject(`Bearer ${make()}`);
    });

    it.each([
      ['header', (p: string[]) => [segment({ ...HS256_HEADER, kid: 'k1' }), p[1], p[2]]],
      ['header algorithm (HS512)', (p: string[]) => [segment({ alg: 'HS512', typ: 'JWT' }), p[1], p[2]]],
      ['payload sub', (p: string[]) => [p[0], segment(validClaims({ sub: 'mallory' })), p[2]]],
      ['payload scope (escalated to data:admin)', (p: string[]) => [p[0], segment(validClaims({ scope: 'data:admin' })), p[2]]],
      ['signature (first character flipped)', (p: string[]) => [p[0], p[1], (p[2][0] === 'A' ? 'B' : 'A') + p[2].slice(1)]],
      ['signature (truncated)', (p: string[]) => [p[0], p[1], p[2].slice(0, -4)]],
      ['signature (reversed)', (p: string[]) => [p[0], p[1], [...p[2]].reverse().join('')]],
    ])('altered %s', async (_label, alter) => {
      await reject(`Bearer ${alter(partsOf()).join('.')}`);
    });

    it.each([
      ['+ and / in the signature', (p: string[]) => [p[0], p[1], `+/${p[2].slice(2)}`]],
      ['= padding on every segment', (p: string[]) => p.map((part) => `${part}=`)],
      ['standard base64 with padding', (p: string[]) => p.map((part) => Buffer.from(part, 'base64url').toString('base64'))],
      ['* in the payload', (p: string[]) => [p[0], `${p[1]}*`, p[2]]],
      ['% and ! in the header', (p: string[]) => [`%${p[0]}!`, p[1], p[2]]],
      ['a JSON header instead of base64url', (p: string[]) => [JSON.stringify(HS256_HEADER), p[1], p[2]]],
    ])('non-base64url characters: %s', async (_label, alter) => {
      await reject(`Bearer ${alter(partsOf()).join('.')}`);
    });

    it.each([
      ['payload', () => `${segment(HS256_HEADER)}.${'A'.repeat(16 * 1024)}.${partsOf()[2]}`],
      ['header', () => `${segment({ ...HS256_HEADER, pad: 'x'.repeat(12 * 1024) })}.${partsOf()[1]}.${partsOf()[2]}`],
    ])('a ~16 KB token (oversized %s) gets 401 or 431, never 2xx/5xx, and stores nothing', async (part, make) => {
      const headers = bearerOf(make());
      expect(headers.authorization.length).toBeGreaterThan(16 * 1024);
      const key = `oversized-${part}`;
      const responses = [
        await t.app.inject({ method: 'GET', url: '/api/data', headers }),
        await t.app.inject({ method: 'POST', url: '/api/data', headers, payload: { key } }),
      ];
      for (const res of responses) {
        expect([401, 431]).toContain(res.statusCode);
        if (res.statusCode === 401) expect(res.json().error.code).toBe('UNAUTHORIZED');
      }
      const list = await t.app.inject({ method: 'GET', url: `/api/data?key=${key}`, headers: admin() });
      expect(list.json().data).toEqual([]);
    });
  });

  describe('lifetime', () => {
    it('refuses a token expired beyond the 5 s clock tolerance', async () => {
      await reject(`Bearer ${token({ expiresIn: -60 })}`);
    });

    it('accepts a token expired within the clock tolerance', async () => {
      await expectAccepted(t.app, bearer({ expiresIn: -1 }));
    });

    it('refuses a token whose nbf is in the future', async () => {
      await reject(`Bearer ${token({ claims: { nbf: nowS() + 60 } })}`);
    });

    it('accepts a token whose nbf is within the clock tolerance', async () => {
      await expectAccepted(t.app, bearer({ claims: { nbf: nowS() + 2 } }));
    });

    it('refuses a correctly signed token without exp (it would never expire)', async () => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims({ exp: undefined }), TEST_JWT_SECRET)}`);
    });

    it('refuses exp given as a string', async () => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims({ exp: String(nowS() + 300) }), TEST_JWT_SECRET)}`);
    });

    it.each([
      ['ten years ahead', () => nowS() + 10 * 365 * 86_400],
      ['a minute ahead (beyond the tolerance)', () => nowS() + 60],
      ['a string', () => String(nowS())],
    ])('refuses an iat that is %s', async (_label, iat) => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims({ iat: iat() }), TEST_JWT_SECRET)}`);
    });

    it('accepts an iat within the clock tolerance', async () => {
      await expectAccepted(t.app, bearerOf(craftToken(HS256_HEADER, validClaims({ iat: nowS() + 2 }), TEST_JWT_SECRET)));
    });
  });

  describe('interoperability', () => {
    // craftToken signs with node:crypto's HMAC, not with jsonwebtoken: a token any conforming
    // library mints with the configured secret must pass, or every rejection above proves nothing.
    it.each([
      ['the minimal claims', validClaims()],
      ['iat, nbf, jti and an unknown claim', validClaims({ iat: nowS() - 10, nbf: nowS() - 10, jti: 'j-1', tenant: 'acme' })],
    ])('accepts an HS256 token minted without jsonwebtoken carrying %s', async (_label, claims) => {
      await expectAccepted(t.app, bearerOf(craftToken(HS256_HEADER, claims, TEST_JWT_SECRET)));
    });
  });

  describe('subject and payload shape', () => {
    it('refuses a correctly signed token without sub', async () => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims({ sub: undefined }), TEST_JWT_SECRET)}`);
    });

    it.each([
      ['empty', ''],
      ['a number', 42],
      ['an array', ['alice']],
      ['null', null],
      ['257 characters', 'x'.repeat(257)],
    ])('refuses a sub that is %s', async (_label, sub) => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims({ sub }), TEST_JWT_SECRET)}`);
    });

    // PostgreSQL text cannot hold NUL: such a sub must be refused here, not fail the query as a 500.
    it('refuses a correctly signed sub containing a NUL character', async () => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims({ sub: 'ali\u0000ce' }), TEST_JWT_SECRET)}`);
    });

    it.each([['a JSON string', '"alice"'], ['a JSON array', [validClaims()]], ['not JSON', 'alice']])(
      'refuses a correctly signed payload that is %s',
      async (_label, payload) => {
        await reject(`Bearer ${craftToken(HS256_HEADER, payload, TEST_JWT_SECRET)}`);
      },
    );
  });

  // RFC 7515 §4.1.11: a JWS naming an extension in `crit` must be refused unless the extension is
  // understood, and this service understands none. Signed with node:crypto alone (craftToken).
  describe('critical header extensions', () => {
    it('accepts an unknown header parameter that is not marked critical', async () => {
      await expectAccepted(t.app, bearerOf(craftToken({ ...HS256_HEADER, foo: 1 }, validClaims(), TEST_JWT_SECRET)));
    });

    it.each([
      ['an unknown extension', { crit: ['foo'], foo: 1 }],
      ['an extension without its parameter', { crit: ['foo'] }],
      ['an empty list', { crit: [] }],
      ['b64 (RFC 7797, unencoded payloads)', { crit: ['b64'], b64: true }],
    ])('refuses a correctly signed token whose crit header is %s', async (_label, extension) => {
      await reject(`Bearer ${craftToken({ ...HS256_HEADER, ...extension }, validClaims(), TEST_JWT_SECRET)}`);
    });
  });

  describe('alg none', () => {
    it.each(['none', 'None', 'NONE', 'nOnE'])('refuses alg %p without a signature', async (alg) => {
      await reject(`Bearer ${craftToken({ alg, typ: 'JWT' }, validClaims())}`);
    });

    it.each(['none', 'None', 'NONE'])('refuses alg %p even with a valid HS256 signature attached', async (alg) => {
      await reject(`Bearer ${craftToken({ alg, typ: 'JWT' }, validClaims(), TEST_JWT_SECRET)}`);
    });

    it('refuses a header without alg', async () => {
      await reject(`Bearer ${craftToken({ typ: 'JWT' }, validClaims(), TEST_JWT_SECRET)}`);
    });
  });

  describe('keys other than the configured secret', () => {
    it.each([
      ['another secret', ATTACKER_SECRET],
      ['the secret with one character changed', `${TEST_JWT_SECRET.slice(0, -1)}?`],
      ['an empty secret', ''],
    ])('refuses a token signed with %s', async (_label, secret) => {
      await reject(`Bearer ${craftToken(HS256_HEADER, validClaims(), secret)}`);
    });

    it('refuses HS384 and HS512 signed with the configured secret (algorithm pinned)', async () => {
      for (const algorithm of ['HS384', 'HS512'] as const) {
        await reject(`Bearer ${token({ sign: { algorithm } })}`);
      }
    });
  });

  describe('header parameters never choose the key', () => {
    const KIDS = ['../../../../../../dev/null', '/proc/self/environ', "' OR '1'='1", "x' UNION SELECT 'secret' --", ''];

    it.each(KIDS)('kid %p: a token signed with the configured secret still verifies', async (kid) => {
      await expectAccepted(t.app, bearer({ sign: { header: { alg: 'HS256', kid } } }));
    });

    it.each([
      ['../../../../../../dev/null', ''],
      ["' OR '1'='1", ATTACKER_SECRET],
      ["x' UNION SELECT 'secret' --", 'secret'],
    ])('kid %p: a token signed with the key it points at (%p) is refused', async (kid, secret) => {
      await reject(`Bearer ${craftToken({ ...HS256_HEADER, kid }, validClaims(), secret)}`);
    });

    it('refuses an HS256 token signed with the secret of its own embedded jwk', async () => {
      const jwk = { kty: 'oct', k: Buffer.from(ATTACKER_SECRET).toString('base64url') };
      await reject(`Bearer ${craftToken({ ...HS256_HEADER, jwk }, validClaims(), ATTACKER_SECRET)}`);
    });

    it('refuses an RS256 token signed with an attacker key embedded as jwk', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const header = { alg: 'RS256' as const, kid: 'attacker', jwk: jwkOf(publicKey, 'attacker', 'RS256') };
      await reject(`Bearer ${jwt.sign(validClaims(), privateKey, { algorithm: 'RS256', header })}`);
    });

    it('accepts a token signed with the configured secret that carries a foreign jwk', async () => {
      const jwk = { kty: 'oct', k: Buffer.from(ATTACKER_SECRET).toString('base64url') };
      await expectAccepted(t.app, bearer({ sign: { header: { alg: 'HS256', jwk } as jwt.JwtHeader } }));
    });

    describe('jku and x5u', () => {
      const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
      let keyServer: JwksServer;
      beforeAll(async () => {
        keyServer = await startJwksServer([jwkOf(attacker.publicKey, 'attacker', 'RS256')]);
      });
      afterAll(() => keyServer?.close());

      it.each(['jku', 'x5u'])('refuses an attacker-signed RS256 token whose %s points at the attacker keys', async (param) => {
        const header = { alg: 'RS256' as const, kid: 'attacker', [param]: keyServer.url };
        await reject(`Bearer ${jwt.sign(validClaims(), attacker.privateKey, { algorithm: 'RS256', header })}`);
        expect(keyServer.requests).toHaveLength(0);
      });

      it('refuses an attacker-signed HS256 token with a jku, without fetching it', async () => {
        await reject(`Bearer ${craftToken({ ...HS256_HEADER, jku: keyServer.url }, validClaims(), ATTACKER_SECRET)}`);
        expect(keyServer.requests).toHaveLength(0);
      });

      it('accepts a token signed with the configured secret that carries jku and x5u, without fetching them', async () => {
        await expectAccepted(
          t.app,
          bearer({ sign: { header: { alg: 'HS256', jku: keyServer.url, x5u: keyServer.url } as jwt.JwtHeader } }),
        );
        expect(keyServer.requests).toHaveLength(0);
      });
    });
  });
});
