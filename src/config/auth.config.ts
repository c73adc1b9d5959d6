import { createPublicKey, createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { type ConfigType, registerAs } from '@nestjs/config';
import { ConfigError, readEnum, readInt, readString, readUrl } from './env.reader.js';
import { NODE_ENVS } from './app.config.js';

export const JWT_SECRET_MIN_BYTES = 32;
/** RFC 7518 §3.3: RS256 keys of 2048 bits or more MUST be used (jsonwebtoken refuses to sign with less). */
export const RSA_MIN_BITS = 2048;

export type VerificationKey =
  | { kind: 'secret'; key: KeyObject; algorithms: ['HS256']; ephemeral: boolean }
  | { kind: 'public-key'; key: KeyObject; algorithms: ['RS256'] | ['ES256'] }
  | { kind: 'jwks'; url: string; algorithms: ['RS256', 'ES256'] };

// One per process: main.ts validates config before Nest reads it again, and both must see
// the same development secret or the logged token would not verify.
let ephemeralSecret: KeyObject | undefined;

function secretKey(value: string): KeyObject {
  if (Buffer.byteLength(value) < JWT_SECRET_MIN_BYTES) {
    throw new ConfigError(`JWT_SECRET must be at least ${JWT_SECRET_MIN_BYTES} bytes`);
  }
  // A KeyObject, not the string: jsonwebtoken tries to parse a string secret as a public key
  // first and throws internally, which costs several times the whole verification.
  return createSecretKey(Buffer.from(value));
}

function publicKey(pem: string): VerificationKey {
  let key: KeyObject;
  try {
    key = createPublicKey(pem.replace(/\\n/g, '\n'));
  } catch {
    throw new ConfigError('JWT_PUBLIC_KEY must be a PEM-encoded RSA or EC (P-256) public key');
  }
  if (key.asymmetricKeyType === 'rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS) throw new ConfigError(`JWT_PUBLIC_KEY must be an RSA key of at least ${RSA_MIN_BITS} bits (got ${bits})`);
    return { kind: 'public-key', key, algorithms: ['RS256'] };
  }
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { kind: 'public-key', key, algorithms: ['ES256'] };
  }
  throw new ConfigError('JWT_PUBLIC_KEY must be an RSA or EC P-256 public key');
}

function verificationKey(env: NodeJS.ProcessEnv, nodeEnv: string): VerificationKey {
  const secret = readString(env, 'JWT_SECRET');
  const pem = readString(env, 'JWT_PUBLIC_KEY');
  const jwks = readUrl(env, 'JWT_JWKS_URL', ['https:', 'http:']);
  // Keys fetched without TLS can be swapped in transit; plain http stays usable in development
  // and tests (a key server on localhost).
  if (jwks?.protocol === 'http:' && nodeEnv === 'production') {
    throw new ConfigError('JWT_JWKS_URL must use https: when NODE_ENV=production');
  }
  const configured = [secret, pem, jwks].filter((v) => v !== undefined).length;
  if (configured > 1) {
    throw new ConfigError('Set only one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL');
  }
  if (secret !== undefined) return { kind: 'secret', key: secretKey(secret), algorithms: ['HS256'], ephemeral: false };
  if (pem !== undefined) return publicKey(pem);
  if (jwks !== undefined) return { kind: 'jwks', url: jwks.href, algorithms: ['RS256', 'ES256'] };
  if (nodeEnv === 'production') {
    throw new ConfigError('NODE_ENV=production needs JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL');
  }
  ephemeralSecret ??= createSecretKey(randomBytes(48));
  return { kind: 'secret', key: ephemeralSecret, algorithms: ['HS256'], ephemeral: true };
}

export const authConfig = registerAs('auth', () => {
  const env = process.env;
  return {
    verification: verificationKey(env, readEnum(env, 'NODE_ENV', NODE_ENVS, 'development')),
    issuer: readString(env, 'JWT_ISSUER'),
    audience: readString(env, 'JWT_AUDIENCE'),
    clockToleranceS: readInt(env, 'JWT_CLOCK_TOLERANCE_S', 5, { min: 0, max: 300 }),
  };
});

export type AuthConfig = ConfigType<typeof authConfig>;
