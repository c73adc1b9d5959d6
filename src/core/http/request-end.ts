import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Socket } from 'node:net';

/** The status recorded for a request whose client closed the connection before any response: nginx's 499, never sent. */
export const CLIENT_CLOSED_REQUEST = 499;

/** How a request ended, as the access log and the metrics record it. */
export interface RequestEnd {
  statusCode: number;
  /** The connection closed before the response was written in full. */
  aborted: boolean;
}

export type RequestEndListener = (request: FastifyRequest, reply: FastifyReply, end: RequestEnd) => void;

declare module 'fastify' {
  interface FastifyInstance {
    /** Told once of every request's end (see onRequestEnd); a decoration, so plugin contexts share it. */
    requestEndListeners: RequestEndListener[];
  }
  interface FastifyRequest {
    /** Whether the listeners have been told of this request's end. */
    endReported: boolean;
  }
}

/** The request in progress on each connection, for errors Node raises on the socket itself. */
const inProgress = new WeakMap<Socket, FastifyReply>();

function reportEnd(request: FastifyRequest, reply: FastifyReply, end: RequestEnd): void {
  if (request.endReported) return;
  request.endReported = true;
  const socket = request.raw.socket;
  // Keep-alive connections outlive their requests: hold no finished request.
  if (socket && inProgress.get(socket) === reply) inProgress.delete(socket);
  for (const listener of request.server.requestEndListeners) listener(request, reply, end);
}

/** A request whose connection closed before its response finished: the status sent, if any. */
function reportAborted(request: FastifyRequest, reply: FastifyReply): void {
  reportEnd(request, reply, { statusCode: reply.raw.headersSent ? reply.statusCode : CLIENT_CLOSED_REQUEST, aborted: true });
}

/**
 * Reports the end of every request exactly once to the listeners of `onRequestEnd`, however it
 * ended: a response written in full (onResponse), a client that closed the connection first
 * (no onResponse ever runs: reported on 'close'), an error Node raised on the socket
 * (`reportEndOnSocket`), or a request Fastify answered without its hooks (`reportEndWithoutHooks`).
 * Register before the hooks that may end a request, so their requests are watched too.
 */
export function trackRequestEnds(fastify: FastifyInstance): void {
  fastify.decorate('requestEndListeners', []);
  fastify.decorateRequest('endReported', false);
  fastify.addHook('onRequest', (request, reply, done) => {
    inProgress.set(request.raw.socket, reply);
    reply.raw.on('close', () => {
      // A finished response is reported by onResponse, which may still be running its hooks.
      if (!reply.raw.writableFinished) reportAborted(request, reply);
    });
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    reportEnd(request, reply, { statusCode: reply.statusCode, aborted: false });
    done();
  });
}

/** Calls `listener` once when each request ends (see trackRequestEnds, which must run first). */
export function onRequestEnd(fastify: FastifyInstance, listener: RequestEndListener): void {
  if (!fastify.hasDecorator('requestEndListeners')) throw new Error('trackRequestEnds() must run before onRequestEnd()');
  fastify.requestEndListeners.push(listener);
}

/**
 * For a request Fastify answers without running any hook (its `frameworkErrors`): reported when
 * its response finishes, as onResponse would, or when its connection closes first.
 */
export function reportEndWithoutHooks(request: FastifyRequest, reply: FastifyReply): void {
  reply.raw.on('finish', () => reportEnd(request, reply, { statusCode: reply.statusCode, aborted: false }));
  reply.raw.on('close', () => reportAborted(request, reply));
}

/** The request whose response has not started on `socket`, if any: Node's socket errors may cut it. */
export function requestAwaitingResponse(socket: Socket): FastifyReply | undefined {
  const reply = inProgress.get(socket);
  return reply !== undefined && !reply.raw.headersSent && !reply.request.endReported ? reply : undefined;
}

/** Reports how `reply`'s request ended on the socket itself (a status written there, or the client gone). */
export function reportEndOnSocket(reply: FastifyReply, end: RequestEnd): void {
  reportEnd(reply.request, reply, end);
}
