import { createHmac, type KeyObject } from 'node:crypto';

/** base64url of a JSON value (or of raw text), as a JWS segment. */
export function segment(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function hs256(signingInput: string, secret: string | Buffer | KeyObject): string {
  return createHmac('sha256', secret).update(signingInput).digest('base64url');
}

/** A compact JWS from any header and payload, HMAC-SHA256-signed with `secret` (unsigned when omitted). */
export function craftToken(header: object, payload: unknown, secret?: string | Buffer | KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${secret === undefined ? '' : hs256(input, secret)}`;
}

export const nowS = () => Math.floor(Date.now() / 1000);

/** Claims of a token the test apps accept (read and write, five minutes to live); `undefined` leaves a claim out. */
export const validClaims = (extra: Record<string, unknown> = {}) => ({
  sub: 'alice',
  scope: 'data:read data:write',
  exp: nowS() + 300,
  ...extra,
});

export const bearerOf = (token: string) => ({ authorization: `Bearer ${token}` });
