import { generateKeyPairSync } from 'node:crypto';
import jwt, { type SignOptions } from 'jsonwebtoken';
import { TEST_JWT_SECRET, testAuthConfig } from '../../test/helpers/tokens.js';
import { JwtStrategy } from './jwt.strategy.js';

const SECRET = TEST_JWT_SECRET;
const now = () => Math.floor(Date.now() / 1000);

const secretConfig = testAuthConfig;

type Outcome = { outcome: 'success' | 'fail' | 'error'; value: unknown };

/** Runs passport's authenticate() for one bearer token, as the guard would. */
function authenticate(strategy: JwtStrategy, token: string): Promise<Outcome> {
  return new Promise((resolve) => {
    // Passport itself calls authenticate() on a per-request object derived from the strategy.
    const action = Object.create(strategy) as JwtStrategy & Record<'success' | 'fail' | 'error', (value: unknown) => void>;
    action.success = (value) => resolve({ outcome: 'success', value });
    action.fail = (value) => resolve({ outcome: 'fail', value });
    action.error = (value) => resolve({ outcome: 'error', value });
    action.authenticate({ headers: { authorization: `Bearer ${token}` } } as never, {});
  });
}

const outcomeOf = async (strategy: JwtStrategy, token: string) => (await authenticate(strategy, token)).outcome;

const sign = (payload: object, options: SignOptions = {}) => jwt.sign(payload, SECRET, { algorithm: 'HS256', ...options });

describe('JwtStrategy', () => {
  describe('validate', () => {
    const strategy = new JwtStrategy(secretConfig());
    const header = { alg: 'HS256', typ: 'JWT' };
    const payload = { sub: 'alice', exp: now() + 60, scope: 'data:read' };

    it('returns the caller of a verified token without extensions', () => {
      expect(strategy.validate({ header, payload })).toEqual({ sub: 'alice', scopes: new Set(['data:read']) });
    });

    // RFC 7515 §4.1.11: extensions listed in `crit` must be understood; none is.
    it.each([
      ['an unknown extension', { crit: ['foo'], foo: 1 }],
      ['an empty list', { crit: [] }],
      ['a registered header name', { crit: ['exp'] }],
      ['a value that is not a list', { crit: 'foo' }],
      ['null', { crit: null }],
    ])('refuses a header whose crit is %s', (_label, extension) => {
      expect(strategy.validate({ header: { ...header, ...extension }, payload })).toBe(false);
    });
  });

  describe('callerOf', () => {
    const strategy = new JwtStrategy(secretConfig());
    const exp = now() + 60;

    it('returns the caller with scopes from a space-separated scope claim', () => {
      expect(strategy.callerOf({ sub: 'alice', exp, scope: 'data:read data:write' })).toEqual({
        sub: 'alice',
        scopes: new Set(['data:read', 'data:write']),
      });
    });

    it('returns the caller with scopes from an array scope claim', () => {
      expect(strategy.callerOf({ sub: 'alice', exp, scope: ['data:read', 'data:admin'] })).toEqual({
        sub: 'alice',
        scopes: new Set(['data:read', 'data:admin']),
      });
    });

    it('gives a caller without a scope claim no scopes', () => {
      expect(strategy.callerOf({ sub: 'alice', exp })).toEqual({ sub: 'alice', scopes: new Set() });
    });

    it.each([undefined, String(exp), null])('refuses exp=%p (a token without a numeric exp never expires)', (badExp) => {
      expect(strategy.callerOf({ sub: 'alice', exp: badExp, scope: 'data:read' })).toBe(false);
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 42],
      ['null', null],
      ['an array', ['alice']],
      ['an object', { id: 'alice' }],
      ['longer than 256 characters', 'x'.repeat(257)],
      // The sub becomes the records' owner: PostgreSQL text cannot store NUL, the query would fail.
      ['a string containing NUL', 'ali\u0000ce'],
    ])('refuses a sub that is %s', (_label, sub) => {
      expect(strategy.callerOf({ sub, exp, scope: 'data:read' })).toBe(false);
    });

    it('accepts a sub of 256 characters', () => {
      expect(strategy.callerOf({ sub: 'x'.repeat(256), exp })).toMatchObject({ sub: 'x'.repeat(256) });
    });
  });

  describe('verification options', () => {
    it('accepts an HS256 token signed with the configured secret', async () => {
      const token = sign({ sub: 'alice', scope: 'data:read', exp: now() + 60 });
      const result = await authenticate(new JwtStrategy(secretConfig()), token);
      expect(result).toEqual({ outcome: 'success', value: { sub: 'alice', scopes: new Set(['data:read']) } });
    });

    it('fails a token whose header lists a crit extension, signed and otherwise valid', async () => {
      const claims = { sub: 'alice', exp: now() + 60 };
      const strategy = new JwtStrategy(secretConfig());
      expect(await outcomeOf(strategy, sign(claims, { header: { alg: 'HS256', foo: 1 } as jwt.JwtHeader }))).toBe('success');
      expect(await outcomeOf(strategy, sign(claims, { header: { alg: 'HS256', crit: ['foo'], foo: 1 } as jwt.JwtHeader }))).toBe('fail');
    });

    it('pins the algorithm: HS384 with the same secret fails', async () => {
      const token = sign({ sub: 'alice', exp: now() + 60 }, { algorithm: 'HS384' });
      expect(await outcomeOf(new JwtStrategy(secretConfig()), token)).toBe('fail');
    });

    it('fails a token without exp', async () => {
      expect(await outcomeOf(new JwtStrategy(secretConfig()), sign({ sub: 'alice' }))).toBe('fail');
    });

    it('applies the configured clock tolerance to exp', async () => {
      const token = sign({ sub: 'alice', exp: now() - 3 });
      expect(await outcomeOf(new JwtStrategy(secretConfig({ clockToleranceS: 60 })), token)).toBe('success');
      expect(await outcomeOf(new JwtStrategy(secretConfig({ clockToleranceS: 0 })), token)).toBe('fail');
    });

    it('checks the configured issuer and audience', async () => {
      const strategy = new JwtStrategy(secretConfig({ issuer: 'https://issuer.test', audience: 'data-api' }));
      const signed = (issuer: string | undefined, audience: string | undefined) =>
        sign({ sub: 'alice', exp: now() + 60 }, { ...(issuer && { issuer }), ...(audience && { audience }) });
      expect(await outcomeOf(strategy, signed('https://issuer.test', 'data-api'))).toBe('success');
      expect(await outcomeOf(strategy, signed('https://evil.test', 'data-api'))).toBe('fail');
      expect(await outcomeOf(strategy, signed('https://issuer.test', 'other-api'))).toBe('fail');
      expect(await outcomeOf(strategy, signed(undefined, undefined))).toBe('fail');
    });

    it('verifies with a public key KeyObject in public-key mode', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const strategy = new JwtStrategy(
        secretConfig({ verification: { kind: 'public-key', key: publicKey, algorithms: ['ES256'] } }),
      );
      const token = jwt.sign({ sub: 'alice', exp: now() + 60 }, privateKey, { algorithm: 'ES256' });
      expect(await outcomeOf(strategy, token)).toBe('success');
      expect(await outcomeOf(strategy, sign({ sub: 'alice', exp: now() + 60 }))).toBe('fail');
    });
  });
});
