import { type ArgumentsHost, Catch, type ExceptionFilter, Logger, NotFoundException } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from '../http/envelope.js';
import { requestPath } from '../http/request-path.js';
import { isDependencyFailure } from './dependency-failure.js';
import { type DescribedError, describeError } from './describe-error.js';

/**
 * Turns every failure into the error envelope: Nest exceptions, AppErrors, and the errors
 * Fastify raises before Nest sees the request (bad JSON, body limit, media type, 404).
 */
@Catch()
export class EnvelopeExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const error = describeError(exception);

    const path = requestPath(request.url);
    // A client that hangs up mid-body (an aborted upload) fails the body stream with a socket
    // error, which reads like a dependency failure. There is no one to answer, and the access
    // line already says `aborted`: not a 503 to warn operators about.
    // (Not `request.raw.destroyed`: a request stream is destroyed once its body has been read.)
    if (request.raw?.socket?.destroyed && isDependencyFailure(exception)) return;
    if (error.status >= 500) this.logServerError(`${request.method} ${path} [${request.id}]`, error);
    if (reply.sent || reply.raw.headersSent) return;
    // Nest's not-found handler names the raw URL, query string (and any token in it) included.
    if (exception instanceof NotFoundException && /^Cannot [A-Z]+ \//.test(error.message)) {
      error.message = error.message.replace(/\?.*$/s, '');
    }

    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
    const body = errorEnvelope(
      { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      request.id,
      path,
    );
    this.adapterHost.httpAdapter.reply(reply, body, error.status);
  }

  /** Unexpected failures with their stack (even a thrown `undefined`); known 5xx as warnings. */
  private logServerError(context: string, error: DescribedError): void {
    if (error.code !== 'INTERNAL_ERROR') {
      this.logger.warn(`${context} ${error.code}: ${error.message}`);
      return;
    }
    const cause = error.cause;
    this.logger.error(`${context} failed`, cause instanceof Error ? cause.stack : String(cause));
  }
}
