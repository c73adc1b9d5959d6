import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The fields of the one line logged per request (the request id is bound by Fastify as `reqId`). */
export interface AccessLine {
  method: string;
  /** The route template (`/api/data/:id`), never the raw URL; `unmatched` when no route matched. */
  route: string;
  statusCode: number;
  durationMs: number;
  /** Content-Length of the response; absent when it was streamed without one. */
  bytes?: number;
  /** The authenticated caller's `sub`. */
  sub?: string;
}

export type AccessLevel = 'debug' | 'info' | 'error';

// Probes and scrapes come every few seconds from the platform, not from clients.
const QUIET_ROUTES = /^\/(?:metrics|health)(?:\/|$)/;

export const UNMATCHED_ROUTE = 'unmatched';

/** Builds the access line from a finished request, without touching headers or bodies. */
export function accessLine(request: FastifyRequest, reply: FastifyReply): AccessLine {
  const line: AccessLine = {
    method: request.method,
    route: request.routeOptions.url ?? UNMATCHED_ROUTE,
    statusCode: reply.statusCode,
    durationMs: Math.round(reply.elapsedTime * 1000) / 1000,
  };
  const length = Number(reply.getHeader('content-length'));
  if (Number.isFinite(length)) line.bytes = length;
  // Set by the JWT guard (see auth/caller.ts); read structurally, platform code does not import auth.
  const sub = (request as { user?: { sub?: unknown } }).user?.sub;
  if (typeof sub === 'string') line.sub = sub;
  return line;
}

/** 5xx at error, health probes and /metrics at debug, everything else at info. */
export function accessLevel(line: Pick<AccessLine, 'route' | 'statusCode'>): AccessLevel {
  if (line.statusCode >= 500) return 'error';
  return QUIET_ROUTES.test(line.route) ? 'debug' : 'info';
}

/**
 * One access line per request through the request's own logger (which carries `reqId`),
 * written when the response has been sent, whatever produced it: a handler, the exception
 * filter, Fastify's own errors (400 malformed JSON, 413, 415) or the not-found handler.
 */
export function registerAccessLog(fastify: FastifyInstance): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const line = accessLine(request, reply);
    request.log[accessLevel(line)](line, 'request completed');
    done();
  });
}
