import { generateKeyPairSync } from 'node:crypto';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { TEST_JWT_SECRET, testAuthConfig } from '../../test/helpers/tokens.js';
import type { AuthConfig } from '../config/index.js';
import { MAX_TTL_DAYS, mintToken, parseTtl } from './token-minter.js';

const SECRET = TEST_JWT_SECRET;

const config = testAuthConfig;

describe('parseTtl', () => {
  it.each([
    ['90', 90],
    ['90s', 90],
    ['15m', 900],
    ['1h', 3600],
    ['7d', 604800],
    [' 1h ', 3600],
  ])('reads %p as %i seconds', (text, seconds) => {
    expect(parseTtl(text)).toBe(seconds);
  });

  it.each(['0', '0s', '0d'])('refuses the empty lifetime %p', (text) => {
    expect(() => parseTtl(text)).toThrow('TTL must be positive');
  });

  it.each([`${MAX_TTL_DAYS}d`, `${MAX_TTL_DAYS * 24}h`, String(MAX_TTL_DAYS * 86400)])('accepts the longest lifetime, %p', (text) => {
    expect(parseTtl(text)).toBe(MAX_TTL_DAYS * 86400);
  });

  it.each([`${MAX_TTL_DAYS + 1}d`, String(MAX_TTL_DAYS * 86400 + 1), '99999999999999999d', '9'.repeat(400)])(
    'refuses %p: a typo must not mint a token that never expires',
    (text) => {
      expect(() => parseTtl(text)).toThrow(`TTL must be at most ${MAX_TTL_DAYS}d`);
    },
  );

  it.each(['', 'h', '1w', '-5', '1.5h', '1 h', '1H', '1h30m', 'abc'])('refuses %p', (text) => {
    expect(() => parseTtl(text)).toThrow(/Invalid TTL/);
  });
});

describe('mintToken', () => {
  it('signs an HS256 token with the configured secret, carrying sub, scope and exp', () => {
    const before = Math.floor(Date.now() / 1000);
    const token = mintToken(config(), { sub: 'alice', scope: 'data:read data:write', ttlSeconds: 600 });
    const decoded = jwt.verify(token, SECRET, { algorithms: ['HS256'], complete: true });
    expect(decoded.header.alg).toBe('HS256');
    const payload = decoded.payload as JwtPayload;
    expect(payload).toMatchObject({ sub: 'alice', scope: 'data:read data:write' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect(payload.iss).toBeUndefined();
    expect(payload.aud).toBeUndefined();
  });

  it('adds the configured issuer and audience', () => {
    const token = mintToken(config({ issuer: 'https://issuer.test', audience: 'data-api' }), {
      sub: 'alice',
      scope: 'data:read',
      ttlSeconds: 60,
    });
    expect(
      jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: 'https://issuer.test', audience: 'data-api' }),
    ).toMatchObject({ iss: 'https://issuer.test', aud: 'data-api', sub: 'alice' });
  });

  it('does not verify with another secret', () => {
    const token = mintToken(config(), { sub: 'alice', scope: 'data:read', ttlSeconds: 60 });
    expect(() => jwt.verify(token, 'another-secret-of-at-least-32-bytes!!!', { algorithms: ['HS256'] })).toThrow(
      'invalid signature',
    );
  });

  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  it.each<[string, AuthConfig['verification']]>([
    ['a public key', { kind: 'public-key', key: publicKey, algorithms: ['ES256'] }],
    ['a JWKS', { kind: 'jwks', url: 'https://idp.test/jwks.json', algorithms: ['RS256', 'ES256'] }],
  ])('refuses to mint with %s', (_label, verification) => {
    expect(() => mintToken(config({ verification }), { sub: 'alice', scope: 'data:read', ttlSeconds: 60 })).toThrow(
      /only be minted with JWT_SECRET/,
    );
  });
});
