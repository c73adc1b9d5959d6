import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorEnvelope } from '../http/envelope.js';
import { requestPath } from '../http/request-path.js';
import { describeError } from './describe-error.js';

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

    if (error.cause !== undefined) {
      this.logger.error(`${request.method} ${requestPath(request.url)} failed [${request.id}]`, (error.cause as Error)?.stack ?? String(error.cause));
    }
    if (reply.sent || reply.raw.headersSent) return;

    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
    const body = errorEnvelope(
      { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      request.id,
      requestPath(request.url),
    );
    this.adapterHost.httpAdapter.reply(reply, body, error.status);
  }
}
