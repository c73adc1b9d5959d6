import { ConfigError } from './env.reader.js';
import { sharedStateConfig } from './shared-state.config.js';

/** The factory reads process.env: give it exactly these variables (restored after each test). */
function load(env: NodeJS.ProcessEnv) {
  jest.replaceProperty(process, 'env', env);
  return sharedStateConfig();
}

describe('sharedStateConfig', () => {
  afterEach(() => jest.restoreAllMocks());

  it('has the documented defaults: no Redis, 60 s cache, 50 ms cache timeout, a day of idempotency, 600 requests a minute', () => {
    expect(load({})).toEqual({
      redisUrl: undefined,
      cacheTtlS: 60,
      cacheTimeoutMs: 50,
      idempotencyTtlS: 86_400,
      rateLimitTtlS: 60,
      rateLimitMax: 600,
    });
  });

  it('reads every variable by its name', () => {
    expect(
      load({
        REDIS_URL: 'redis://cache.internal:6380/2',
        CACHE_TTL_S: '120',
        CACHE_TIMEOUT_MS: '75',
        IDEMPOTENCY_TTL_S: '3600',
        RATE_LIMIT_TTL_S: '10',
        RATE_LIMIT_MAX: '5',
      }),
    ).toEqual({
      redisUrl: 'redis://cache.internal:6380/2',
      cacheTtlS: 120,
      cacheTimeoutMs: 75,
      idempotencyTtlS: 3600,
      rateLimitTtlS: 10,
      rateLimitMax: 5,
    });
  });

  it('accepts rediss:// (TLS)', () => {
    expect(load({ REDIS_URL: 'rediss://cache.internal:6380' }).redisUrl).toBe('rediss://cache.internal:6380');
  });

  it.each([
    ['CACHE_TTL_S', 'cacheTtlS', 1, 86_400],
    ['CACHE_TIMEOUT_MS', 'cacheTimeoutMs', 1, 10_000],
    ['IDEMPOTENCY_TTL_S', 'idempotencyTtlS', 60, 30 * 86_400],
    ['RATE_LIMIT_TTL_S', 'rateLimitTtlS', 1, 86_400],
    ['RATE_LIMIT_MAX', 'rateLimitMax', 1, 1_000_000],
  ] as const)('accepts %s (%s) from %i to %i, as the README documents', (name, field, min, max) => {
    expect(load({ [name]: String(min) })[field]).toBe(min);
    expect(load({ [name]: String(max) })[field]).toBe(max);
  });

  it.each([
    ['REDIS_URL', 'http://cache.internal:6379'],
    ['REDIS_URL', 'not a url'],
    ['CACHE_TTL_S', '0'],
    ['CACHE_TTL_S', '86401'],
    ['CACHE_TIMEOUT_MS', '0'],
    ['CACHE_TIMEOUT_MS', '50ms'],
    ['IDEMPOTENCY_TTL_S', '59'],
    ['IDEMPOTENCY_TTL_S', String(30 * 86_400 + 1)],
    ['RATE_LIMIT_TTL_S', '-1'],
    ['RATE_LIMIT_MAX', '0'],
    ['RATE_LIMIT_MAX', '1.5'],
  ])('refuses %s=%p with a ConfigError naming it', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(ConfigError);
    expect(() => load({ [name]: value })).toThrow(new RegExp(`^${name} `));
  });
});
