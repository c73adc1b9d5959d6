import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CATALOGUE, type ErrorCode } from '../errors/index.js';
import { describeError } from '../filters/describe-error.js';
import { errorEnvelope } from './envelope.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { CLIENT_CLOSED_REQUEST, reportEndOnSocket, type RequestEnd, requestAwaitingResponse } from './request-end.js';
import { requestPath } from './request-path.js';

function connectionErrorCode(error: NodeJS.ErrnoException): ErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  if (error.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  return 'VALIDATION_FAILED';
}

/**
 * A request cut by the client's end of stream (it stopped sending mid-body: gone, or given up)
 * was abandoned, like one whose connection closed; any other error was answered with `status`.
 */
function endOnSocket(error: NodeJS.ErrnoException, status: number): RequestEnd {
  return error.code === 'HPE_INVALID_EOF_STATE' ? { statusCode: CLIENT_CLOSED_REQUEST, aborted: true } : { statusCode: status, aborted: false };
}

/**
 * Fastify `clientErrorHandler`: requests Node's HTTP parser rejects before any route exists
 * (oversized headers, bad framing, a body longer than its Content-Length, timeouts) still get
 * the error envelope, written straight to the socket, which is then closed. When Fastify had
 * already routed the request (its body stalled past requestTimeout), the answer keeps that
 * request's id and path and is reported as its end, so it is logged and counted.
 */
export function replyToConnectionError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) {
    const code = connectionErrorCode(error);
    const { status } = ERROR_CATALOGUE[code];
    const message = code === 'VALIDATION_FAILED' ? 'Malformed HTTP request' : ERROR_CATALOGUE[code].message;
    const reply = requestAwaitingResponse(socket);
    const requestId = reply?.request.id ?? randomUUID();
    // Without a routed request, no request line could be trusted, so there is no path to report.
    const body = JSON.stringify(errorEnvelope({ code, message }, requestId, reply ? requestPath(reply.request.url) : ''));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n${REQUEST_ID_HEADER}: ${requestId}\r\n\r\n${body}`,
    );
    // Before the socket closes, which would report the request as aborted whatever the cause.
    if (reply) reportEndOnSocket(reply, endOnSocket(error, status));
  }
  socket.destroy(error);
}

/**
 * Fastify `frameworkErrors`: errors Fastify's router raises before Nest's error handler is in
 * reach (a path that is not valid percent-encoding, FST_ERR_BAD_URL).
 */
export function replyToFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const described = describeError(error);
  reply
    .code(described.status)
    .header(REQUEST_ID_HEADER, request.id)
    .send(errorEnvelope({ code: described.code, message: described.message }, request.id, requestPath(request.url)));
}
