import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { onRequestEnd, type RequestEnd } from '../../core/http/request-end.js';

/** The fields of the one line logged per request (the request id is bound by Fastify as `reqId`). */
export interface AccessLine {
  method: string;
  /** The route template (`/api/data/:id`), never the raw URL; `unmatched` when no route matched. */
  route: string;
  /** The status sent; 499 when the client closed the connection before any response. */
  statusCode: number;
  durationMs: number;
  /** Content-Length of the response; absent when it was streamed without one or not sent in full. */
  bytes?: number;
  /** Present (true) when the connection closed before the response was written in full. */
  aborted?: true;
  /** The authenticated caller's `sub`. */
  sub?: string;
}

export type AccessLevel = 'debug' | 'info' | 'warn' | 'error';

// Probes and scrapes come every few seconds from the platform, not from clients.
const QUIET_ROUTES = /^\/(?:metrics|health)(?:\/|$)/;

export const UNMATCHED_ROUTE = 'unmatched';

/** Builds the access line from a request that ended, without touching headers or bodies. */
export function accessLine(request: FastifyRequest, reply: FastifyReply, end: RequestEnd = { statusCode: reply.statusCode, aborted: false }): AccessLine {
  const line: AccessLine = {
    method: request.method,
    route: request.routeOptions.url ?? UNMATCHED_ROUTE,
    statusCode: end.statusCode,
    durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
  };
  if (end.aborted) {
    // Content-Length says what was to be sent, not what the client got.
    line.aborted = true;
  } else {
    const length = Number(reply.getHeader('content-length'));
    if (Number.isFinite(length)) line.bytes = length;
  }
  // Set by the JWT guard (see auth/caller.ts); read structurally, platform code does not import auth.
  const sub = (request as { user?: { sub?: unknown } }).user?.sub;
  if (typeof sub === 'string') line.sub = sub;
  return line;
}

/**
 * 5xx at error, health probes and /metrics at debug, everything else at info. A probe's 503 is
 * readiness saying "not ready" (draining, database down), expected on every deploy: warn.
 */
export function accessLevel(line: Pick<AccessLine, 'route' | 'statusCode'>): AccessLevel {
  const quiet = QUIET_ROUTES.test(line.route);
  if (line.statusCode >= 500) return quiet && line.statusCode === 503 ? 'warn' : 'error';
  return quiet ? 'debug' : 'info';
}

/**
 * One access line per request through the request's own logger (which carries `reqId`),
 * written when the request has ended, whatever answered it: a handler, the exception filter,
 * Fastify's own errors (400 malformed JSON or URL, 413, 415), the not-found handler, a 408 for
 * a stalled body, or nothing (the client went away: `aborted`).
 */
export function registerAccessLog(fastify: FastifyInstance): void {
  onRequestEnd(fastify, (request, reply, end) => {
    const line = accessLine(request, reply, end);
    request.log[accessLevel(line)](line, 'request completed');
  });
}
