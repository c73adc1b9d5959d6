import { createHash } from 'node:crypto';

export interface FingerprintInput {
  method: string;
  /** The request target as sent: path and query. */
  url: string;
  owner: string;
  /** The parsed body (`request.body`). */
  body: unknown;
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/**
 * SHA-256 of the body as the handler sees it: the parsed JSON serialized again (key order
 * kept), so whitespace and escapes do not matter but every value and key order does (key
 * order is stored). Non-JSON bodies are hashed as bytes.
 */
export function bodyHash(body: unknown): string {
  if (body === undefined || body === null) return sha256('');
  if (typeof body === 'string' || body instanceof Uint8Array) return sha256(body);
  return sha256(JSON.stringify(body));
}

/** What a repeated key must match: method, request target, owner and body. */
export function requestFingerprint({ method, url, owner, body }: FingerprintInput): string {
  return sha256(JSON.stringify([method.toUpperCase(), url, owner, bodyHash(body)]));
}
