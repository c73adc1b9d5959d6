import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { Logger, PinoLogger } from 'nestjs-pino';
import { registerAccessLog } from './access-log.js';

/**
 * nestjs-pino binds the request's logger (AsyncLocalStorage) in a Nest middleware, i.e. in
 * `onRequest`; reading a request body runs in the socket's async context and loses it, so
 * lines logged from guards, handlers, services and the exception filter of a POST would go
 * out without `reqId`. Binding it again just before validation covers everything after.
 */
function bindRequestLogContext(fastify: FastifyInstance, pino: PinoLogger): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    pino.runInContext(done, { bindings: { reqId: request.id } });
  });
}

/** Nest's Logger on pino, the request id bound to Nest log lines, one access line per request. */
export async function setupLogging(app: NestFastifyApplication): Promise<void> {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();
  bindRequestLogContext(fastify, await app.resolve(PinoLogger));
  registerAccessLog(fastify);
}
