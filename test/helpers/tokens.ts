import { createSecretKey } from 'node:crypto';
import jwt, { type Algorithm, type SignOptions } from 'jsonwebtoken';
import type { AuthConfig } from '../../src/config/index.js';

/** The HS256 secret every test app verifies with (see createTestApp). */
export const TEST_JWT_SECRET = 'test-secret-that-is-at-least-32-bytes-long!!';
export const TEST_SECRET_KEY = createSecretKey(Buffer.from(TEST_JWT_SECRET));

/** The auth config namespace as the service builds it from JWT_SECRET=TEST_JWT_SECRET. */
export function testAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    verification: { kind: 'secret', key: TEST_SECRET_KEY, algorithms: ['HS256'], ephemeral: false },
    issuer: undefined,
    audience: undefined,
    clockToleranceS: 5,
    ...overrides,
  };
}

export interface TokenOptions {
  sub?: string;
  scope?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  claims?: Record<string, unknown>;
  sign?: SignOptions;
}

/** A token the test app accepts unless the options make it invalid on purpose. */
export function token(options: TokenOptions = {}): string {
  const { sub = 'alice', scope = 'data:read data:write', expiresIn = 300, claims = {}, sign = {} } = options;
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ sub, scope, exp: now + expiresIn, ...claims }, TEST_JWT_SECRET, {
    algorithm: 'HS256' as Algorithm,
    ...sign,
  });
}

export const bearer = (options?: TokenOptions) => ({ authorization: `Bearer ${token(options)}` });
