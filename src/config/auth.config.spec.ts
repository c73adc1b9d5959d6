import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { authConfig, JWT_SECRET_MIN_BYTES, RSA_MIN_BITS } from './auth.config.js';
import { ConfigError } from './env.reader.js';

/** The factory reads process.env: give it exactly these variables (restored after each test). */
function load(env: NodeJS.ProcessEnv) {
  jest.replaceProperty(process, 'env', env);
  return authConfig();
}

const SECRET = 's'.repeat(JWT_SECRET_MIN_BYTES);
const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'spki' }) as string;
const rsaPem = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
const p256Pem = pem(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);

describe('authConfig', () => {
  afterEach(() => jest.restoreAllMocks());

  describe('JWT_SECRET', () => {
    it(`accepts ${JWT_SECRET_MIN_BYTES} bytes as an HS256 secret KeyObject`, () => {
      const { verification } = load({ JWT_SECRET: SECRET });
      expect(verification).toMatchObject({ kind: 'secret', algorithms: ['HS256'], ephemeral: false });
      const key = (verification as { key: KeyObject }).key;
      expect(key.type).toBe('secret');
      expect(key.export().toString()).toBe(SECRET);
    });

    it('counts bytes, not characters', () => {
      expect(load({ JWT_SECRET: 'é'.repeat(JWT_SECRET_MIN_BYTES / 2) }).verification.kind).toBe('secret');
      expect(() => load({ JWT_SECRET: 'é'.repeat(JWT_SECRET_MIN_BYTES / 2 - 1) + 'x' })).toThrow(/JWT_SECRET/);
    });

    it.each([1, JWT_SECRET_MIN_BYTES - 1])('refuses %i bytes with a ConfigError naming JWT_SECRET', (length) => {
      const env = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(length) };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(/JWT_SECRET must be at least 32 bytes/);
    });
  });

  it.each([
    ['JWT_SECRET and JWT_PUBLIC_KEY', { JWT_SECRET: SECRET, JWT_PUBLIC_KEY: rsaPem }],
    ['JWT_SECRET and JWT_JWKS_URL', { JWT_SECRET: SECRET, JWT_JWKS_URL: 'https://idp.test/jwks.json' }],
    ['JWT_PUBLIC_KEY and JWT_JWKS_URL', { JWT_PUBLIC_KEY: rsaPem, JWT_JWKS_URL: 'https://idp.test/jwks.json' }],
    ['all three', { JWT_SECRET: SECRET, JWT_PUBLIC_KEY: rsaPem, JWT_JWKS_URL: 'https://idp.test/jwks.json' }],
  ])('refuses %s together', (_label, env) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow('Set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL');
  });

  describe('without any key', () => {
    it('refuses NODE_ENV=production', () => {
      expect(() => load({ NODE_ENV: 'production' })).toThrow(ConfigError);
      expect(() => load({ NODE_ENV: 'production' })).toThrow(/NODE_ENV=production needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL/);
    });

    it('treats blank values as unset, so production still refuses them', () => {
      expect(() => load({ NODE_ENV: 'production', JWT_SECRET: '  ', JWT_PUBLIC_KEY: '', JWT_JWKS_URL: ' ' })).toThrow(
        /NODE_ENV=production needs/,
      );
    });

    it.each([{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }])('uses one ephemeral secret per process (%p)', (env) => {
      const first = load(env).verification;
      const second = load(env).verification;
      expect(first).toMatchObject({ kind: 'secret', algorithms: ['HS256'], ephemeral: true });
      const key = (first as { key: KeyObject }).key;
      expect(key.type).toBe('secret');
      expect(key.symmetricKeySize).toBeGreaterThanOrEqual(JWT_SECRET_MIN_BYTES);
      expect((second as { key: KeyObject }).key).toBe(key);
    });
  });

  describe('JWT_PUBLIC_KEY', () => {
    it('pins RS256 for an RSA key', () => {
      const { verification } = load({ NODE_ENV: 'production', JWT_PUBLIC_KEY: rsaPem });
      expect(verification).toMatchObject({ kind: 'public-key', algorithms: ['RS256'] });
      expect((verification as { key: KeyObject }).key.asymmetricKeyType).toBe('rsa');
    });

    it('pins ES256 for an EC P-256 key', () => {
      const { verification } = load({ NODE_ENV: 'production', JWT_PUBLIC_KEY: p256Pem });
      expect(verification).toMatchObject({ kind: 'public-key', algorithms: ['ES256'] });
      expect((verification as { key: KeyObject }).key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    });

    it('accepts a PEM whose newlines are written as \\n (one-line .env values)', () => {
      const oneLine = rsaPem.trim().replace(/\n/g, '\\n');
      expect(load({ JWT_PUBLIC_KEY: oneLine }).verification).toMatchObject({ kind: 'public-key', algorithms: ['RS256'] });
    });

    it.each([
      ['ed25519', () => pem(generateKeyPairSync('ed25519').publicKey)],
      ['EC P-384', () => pem(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey)],
    ])('refuses an %s key', (_label, makePem) => {
      const env = { JWT_PUBLIC_KEY: makePem() };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow('JWT_PUBLIC_KEY must be an RSA or EC P-256 public key');
    });

    it(`refuses an RSA key under ${RSA_MIN_BITS} bits (RFC 7518 §3.3)`, () => {
      const env = { JWT_PUBLIC_KEY: pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey) };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(`JWT_PUBLIC_KEY must be an RSA key of at least ${RSA_MIN_BITS} bits (got 1024)`);
    });

    it('accepts an RSA key over 2048 bits', () => {
      const env = { JWT_PUBLIC_KEY: pem(generateKeyPairSync('rsa', { modulusLength: 3072 }).publicKey) };
      expect(load(env).verification).toMatchObject({ kind: 'public-key', algorithms: ['RS256'] });
    });

    it('refuses text that is not a PEM key', () => {
      expect(() => load({ JWT_PUBLIC_KEY: 'not a key' })).toThrow(ConfigError);
      expect(() => load({ JWT_PUBLIC_KEY: 'not a key' })).toThrow(/JWT_PUBLIC_KEY must be a PEM-encoded/);
    });
  });

  describe('JWT_JWKS_URL', () => {
    it('verifies RS256 and ES256 against the JWKS', () => {
      expect(load({ NODE_ENV: 'production', JWT_JWKS_URL: 'https://idp.test/.well-known/jwks.json' }).verification).toEqual({
        kind: 'jwks',
        url: 'https://idp.test/.well-known/jwks.json',
        algorithms: ['RS256', 'ES256'],
      });
    });

    it('refuses http: in production, where keys fetched without TLS could be swapped in transit', () => {
      const env = { NODE_ENV: 'production', JWT_JWKS_URL: 'http://idp.test/jwks.json' };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow('JWT_JWKS_URL must use https: when NODE_ENV=production');
    });

    it.each(['development', 'test'])('accepts http: with NODE_ENV=%s (a local key server)', (nodeEnv) => {
      const env = { NODE_ENV: nodeEnv, JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks.json' };
      expect(load(env).verification).toMatchObject({ kind: 'jwks', url: 'http://127.0.0.1:8080/jwks.json' });
    });

    it.each(['ftp://idp.test/jwks', 'idp.test/jwks'])('refuses %p with a ConfigError naming JWT_JWKS_URL', (url) => {
      expect(() => load({ JWT_JWKS_URL: url })).toThrow(ConfigError);
      expect(() => load({ JWT_JWKS_URL: url })).toThrow(/^JWT_JWKS_URL /);
    });
  });

  describe('issuer, audience and clock tolerance', () => {
    it('default to none and 5 seconds', () => {
      expect(load({ JWT_SECRET: SECRET })).toMatchObject({ issuer: undefined, audience: undefined, clockToleranceS: 5 });
    });

    it('are read from JWT_ISSUER, JWT_AUDIENCE, JWT_CLOCK_TOLERANCE_S', () => {
      expect(
        load({ JWT_SECRET: SECRET, JWT_ISSUER: 'https://issuer.test', JWT_AUDIENCE: 'data-api', JWT_CLOCK_TOLERANCE_S: '30' }),
      ).toMatchObject({ issuer: 'https://issuer.test', audience: 'data-api', clockToleranceS: 30 });
    });

    it.each(['0', '300'])('accepts JWT_CLOCK_TOLERANCE_S=%s', (value) => {
      expect(load({ JWT_SECRET: SECRET, JWT_CLOCK_TOLERANCE_S: value }).clockToleranceS).toBe(Number(value));
    });

    it.each(['301', '-1', '5s', '2.5', 'abc'])('refuses JWT_CLOCK_TOLERANCE_S=%p', (value) => {
      const env = { JWT_SECRET: SECRET, JWT_CLOCK_TOLERANCE_S: value };
      expect(() => load(env)).toThrow(ConfigError);
      expect(() => load(env)).toThrow(/^JWT_CLOCK_TOLERANCE_S must be an integer between 0 and 300/);
    });
  });
});
