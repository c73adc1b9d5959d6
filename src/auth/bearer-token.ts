import type { IncomingMessage } from 'node:http';

// RFC 6750 §2.1: "Bearer" 1*SP b64token. Anything else in the header (a second token,
// trailing text, another scheme) makes the request unauthenticated rather than half-read.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of a well-formed `Authorization: Bearer …` header, or null. */
export function bearerTokenFrom(request: Pick<IncomingMessage, 'headers'>): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  return BEARER.exec(header)?.[1] ?? null;
}
