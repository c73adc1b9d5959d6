import { type ConfigType, registerAs } from '@nestjs/config';
import { ConfigError, readInt, readString } from './env.reader.js';

function readList(env: NodeJS.ProcessEnv, name: string): string[] {
  return (readString(env, name) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

// Addresses or CIDR blocks of the proxies in front of the service (Fastify `trustProxy`).
const CIDR = /^([0-9.]+|[0-9a-fA-F:]+)(\/\d{1,3})?$/;

/**
 * An origin as a browser sends it in `Origin` (scheme, host, port unless the default, nothing
 * else): origins are compared exactly, so `https://app.example/` or `HTTPS://App.example` would
 * never match and CORS would be off without a word. `*` is not an origin: the list is explicit.
 */
function isOrigin(entry: string): boolean {
  try {
    const url = new URL(entry);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry;
  } catch {
    return false;
  }
}

function readOrigins(env: NodeJS.ProcessEnv, name: string): string[] {
  const origins = readList(env, name);
  const bad = origins.find((entry) => !isOrigin(entry));
  if (bad !== undefined) {
    throw new ConfigError(
      `${name} must be a comma-separated list of origins such as https://app.example or http://localhost:8080, ` +
        `written as browsers send them: lower case, no path, no trailing slash, no default port (got "${bad}")`,
    );
  }
  return origins;
}

/** Life behind a gateway: proxies, CORS, server timeouts and the shutdown sequence. */
export const httpConfig = registerAs('http', () => {
  const env = process.env;
  const trustProxy = readList(env, 'TRUST_PROXY');
  const bad = trustProxy.find((entry) => !CIDR.test(entry));
  if (bad !== undefined) throw new ConfigError(`TRUST_PROXY must be a comma-separated list of IPs or CIDR blocks (got "${bad}")`);
  return {
    /** Empty: X-Forwarded-* are ignored, the socket address is the client. */
    trustProxy,
    /** Exact origins allowed by CORS; empty turns CORS off. */
    corsOrigins: readOrigins(env, 'CORS_ORIGINS'),
    /** Must exceed the gateway's upstream idle timeout, or the gateway reuses a closing socket. */
    keepAliveTimeoutMs: readInt(env, 'KEEP_ALIVE_TIMEOUT_MS', 72_000, { min: 1_000, max: 600_000 }),
    /** Whole request (headers and body) must arrive within this, else 408. */
    requestTimeoutMs: readInt(env, 'REQUEST_TIMEOUT_MS', 30_000, { min: 1_000, max: 600_000 }),
    /** Headers must arrive within this, else 408 (slowloris). */
    headersTimeoutMs: readInt(env, 'HEADERS_TIMEOUT_MS', 10_000, { min: 1_000, max: 600_000 }),
    /** Larger request headers get 431. */
    maxHeaderSize: 16 * 1024,
    /** After SIGTERM: readiness answers 503 while the server keeps serving this long. */
    shutdownDrainMs: readInt(env, 'SHUTDOWN_DRAIN_MS', 5_000, { min: 0, max: 300_000 }),
    /** After SIGTERM: the process exits by this deadline whatever is still running. */
    shutdownGraceMs: readInt(env, 'SHUTDOWN_GRACE_MS', 25_000, { min: 1_000, max: 600_000 }),
  };
});

export type HttpConfig = ConfigType<typeof httpConfig>;
