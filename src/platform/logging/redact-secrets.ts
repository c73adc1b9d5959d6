/** What a redacted value is replaced with. */
export const REDACTED = '[Redacted]';

// Credentials under any spelling a log field is likely to use: authorization, cookie,
// set-cookie, password, passwd, accessToken, refresh_token, clientSecret, api-key, ...
const SECRET_KEY = /authorization|cookie|passw(?:or)?d|token|secret|api[-_]?key/i;
// Log objects are small; the bound stops a cyclic or absurdly deep value from costing a line.
const MAX_DEPTH = 8;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function redactArray(items: unknown[], depth: number): unknown[] {
  let copy: unknown[] | undefined;
  for (let i = 0; i < items.length; i++) {
    const redacted = redactAt(items[i], depth + 1);
    if (redacted !== items[i]) (copy ??= items.slice())[i] = redacted;
  }
  return copy ?? items;
}

function redactObject(fields: Record<string, unknown>, depth: number): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const redacted = isSecretKey(key) && value !== undefined && value !== null ? REDACTED : redactAt(value, depth + 1);
    if (redacted !== value) (copy ??= { ...fields })[key] = redacted;
  }
  return copy ?? fields;
}

function redactAt(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return redactArray(value, depth);
  // Class instances (requests, replies, errors) are left to their serializers, which never
  // emit headers or bodies; walking them would run their getters.
  return isPlainObject(value) ? redactObject(value, depth) : value;
}

/**
 * `fields` with every value under a secret-like key (see isSecretKey) replaced by REDACTED,
 * through nested plain objects and arrays. Copy-on-write: a clean object is returned as is,
 * so the usual log line allocates nothing here.
 */
export function redactSecrets<T extends object>(fields: T): T {
  return redactAt(fields, 0) as T;
}
