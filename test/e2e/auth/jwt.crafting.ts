import { createHmac, type KeyObject, sign } from 'node:crypto';

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

/**
 * A compact JWS signed with node:crypto alone (RS256: RSASSA-PKCS1-v1_5; ES256: the raw r||s
 * signature of RFC 7518 §3.4): a JWT implementation independent of the one the app verifies with.
 */
export function craftAsymmetricToken(alg: 'RS256' | 'ES256', payload: unknown, privateKey: KeyObject, header: object = {}): string {
  const input = `${segment({ alg, typ: 'JWT', ...header })}.${segment(payload)}`;
  const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
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
