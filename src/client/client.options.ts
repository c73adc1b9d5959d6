import type { RetrySettings } from './retry.policy.js';

/** A bearer token, or a function called before every attempt so tokens can rotate. */
export type TokenSource = string | (() => string | Promise<string>);

/** Options of {@link DataApiClient}. */
export interface DataApiClientOptions {
  /** Origin of the service, optionally with a path prefix (`https://gateway.example/data-api`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; a function is called for every attempt. */
  token?: TokenSource;
  /** Longest wait for a TCP (and TLS) connection. Default 3050 ms. */
  connectTimeoutMs?: number;
  /** Longest wait for the response headers, and between two chunks of the body. Default 5000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt (so at most 1 + retries attempts). Default 3. */
  retries?: number;
  /** Backoff before retry n: uniform in [0, min(capMs, baseMs·2^(n-1))). Default 200 ms, 5 s. */
  backoff?: { baseMs?: number; capMs?: number };
  /** Longest `Retry-After` the client waits for; longer ones are cut to this. Default 10 s. */
  maxRetryAfterMs?: number;
  /** No retry starts once this much time has passed since the call began. Default 30 s. */
  maxElapsedMs?: number;
  /** `User-Agent` header. Default `data-api-client`. */
  userAgent?: string;
  /**
   * The `X-Request-Id` to send when a call does not pass one, e.g. the id of the incoming
   * request this service is handling (read from its AsyncLocalStorage).
   */
  requestId?: () => string | undefined;
  /** Most connections kept open to the origin. Default 10. */
  connections?: number;
}

/** Options after defaults; what the transport works with. */
export interface ResolvedClientOptions extends RetrySettings {
  origin: string;
  pathPrefix: string;
  token?: TokenSource;
  connectTimeoutMs: number;
  timeoutMs: number;
  userAgent: string;
  requestId?: () => string | undefined;
  connections: number;
}

/** Defaults: the `(3.05, 5)` connect/read timeout pair, 3 retries, 200 ms..5 s backoff. */
export const CLIENT_DEFAULTS = {
  connectTimeoutMs: 3050,
  timeoutMs: 5000,
  retries: 3,
  backoffBaseMs: 200,
  backoffCapMs: 5000,
  maxRetryAfterMs: 10_000,
  maxElapsedMs: 30_000,
  userAgent: 'data-api-client',
  connections: 10,
} as const;

/** Applies defaults and checks what would otherwise fail later, far from the cause. */
export function resolveClientOptions(options: DataApiClientOptions): ResolvedClientOptions {
  const url = new URL(options.baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`baseUrl must be http(s): ${options.baseUrl}`);
  const resolved: ResolvedClientOptions = {
    origin: url.origin,
    pathPrefix: url.pathname.replace(/\/+$/, ''),
    token: options.token,
    connectTimeoutMs: options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs,
    timeoutMs: options.timeoutMs ?? CLIENT_DEFAULTS.timeoutMs,
    retries: options.retries ?? CLIENT_DEFAULTS.retries,
    backoffBaseMs: options.backoff?.baseMs ?? CLIENT_DEFAULTS.backoffBaseMs,
    backoffCapMs: options.backoff?.capMs ?? CLIENT_DEFAULTS.backoffCapMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? CLIENT_DEFAULTS.maxRetryAfterMs,
    maxElapsedMs: options.maxElapsedMs ?? CLIENT_DEFAULTS.maxElapsedMs,
    userAgent: options.userAgent ?? CLIENT_DEFAULTS.userAgent,
    requestId: options.requestId,
    connections: options.connections ?? CLIENT_DEFAULTS.connections,
  };
  for (const name of ['connectTimeoutMs', 'timeoutMs', 'retries', 'backoffBaseMs', 'backoffCapMs', 'maxRetryAfterMs', 'maxElapsedMs'] as const) {
    if (!Number.isFinite(resolved[name]) || resolved[name] < 0) throw new TypeError(`${name} must be a finite number ≥ 0`);
  }
  if (!Number.isInteger(resolved.connections) || resolved.connections < 1) throw new TypeError('connections must be an integer ≥ 1');
  return resolved;
}
