import { isIP } from 'node:net';

/**
 * Reads one environment variable at boot and fails with a message that names it.
 *
 * Config namespaces call these from their `registerAs` factories, so a bad value stops
 * startup before any module is built, and feature code never touches `process.env`.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = NodeJS.ProcessEnv;

function raw(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function readString(env: Env, name: string, fallback: string): string;
export function readString(env: Env, name: string): string | undefined;
export function readString(env: Env, name: string, fallback?: string): string | undefined {
  return raw(env, name) ?? fallback;
}

export function readInt(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    throw new ConfigError(`${name} must be an integer between ${range.min} and ${range.max} (got "${value}")`);
  }
  return parsed;
}

export function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): URL | undefined {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL (${protocols.join(' or ')})`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must use ${protocols.join(' or ')} (got "${url.protocol}")`);
  }
  return url;
}

// RFC 1123 labels: letters, digits and inner hyphens, 63 characters at most.
const HOST_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/**
 * An IP literal or a host name (RFC 1123), nothing else: a port, a scheme or a space would only
 * fail later, at listen, with a resolver error that does not name the variable. A name whose last
 * label is all digits is refused too (`999.1.1.1`): resolvers read it as a number, not a name.
 */
function isHost(value: string): boolean {
  if (isIP(value) !== 0) return true;
  const labels = (value.endsWith('.') ? value.slice(0, -1) : value).split('.');
  return value.length <= 253 && labels.every((label) => HOST_LABEL.test(label)) && !/^\d+$/.test(labels.at(-1)!);
}

export function readHost(env: Env, name: string, fallback: string): string {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  if (!isHost(value)) {
    throw new ConfigError(`${name} must be an IP address or a host name, without a port (got "${value}")`);
  }
  return value;
}
