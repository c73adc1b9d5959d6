import type { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { DestinationStream } from 'pino';
import { type AppConfig, httpConfig, type HttpConfig } from './config/index.js';
import { replyToConnectionError, replyToFrameworkError } from './core/http/connection-errors.js';
import { registerJsonBodyParser } from './core/http/json-body-parser.js';
import { reportEndWithoutHooks, trackRequestEnds } from './core/http/request-end.js';
import { REQUEST_ID_HEADER, requestIdFor } from './core/http/request-id.js';
import { registerHttpPlugins } from './platform/http/http-plugins.js';
import { registerLingeringClose } from './platform/http/lingering-close.js';
import { applySecurityHeaders } from './platform/http/security-headers.js';
import { serverOptions } from './platform/http/server-options.js';
import { enableGracefulShutdown } from './platform/lifecycle/graceful-shutdown.js';
import { createRootLogger, setupLogging } from './platform/logging/index.js';

/** Options Nest needs at creation: Fastify's own JSON parser only (see createFastifyAdapter). */
export const NEST_APP_OPTIONS: NestApplicationOptions = {
  // Nest's body parsers would add application/x-www-form-urlencoded: JSON routes accept JSON only.
  bodyParser: false,
  // Bootstrap lines wait for setupApp's useLogger, so they go out as JSON like the rest.
  bufferLogs: true,
};

/**
 * Fastify `frameworkErrors` (a path that is not valid percent-encoding, a parameter over
 * maxParamLength): Fastify answers these without running a single hook, so what the hooks
 * give every request is given here: security headers, the access line and the metrics.
 */
function answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  reportEndWithoutHooks(request, reply);
  applySecurityHeaders(request, reply);
  replyToFrameworkError(error, request, reply);
}

/** The Fastify instance options, shared by main.ts and the test app factory. */
export function createFastifyAdapter(
  app: Pick<AppConfig, 'bodyLimit' | 'logLevel' | 'nodeEnv'>,
  http: HttpConfig,
  logDestination?: DestinationStream,
): FastifyAdapter {
  return new FastifyAdapter({
    ...serverOptions(http),
    bodyLimit: app.bodyLimit,
    // The request id comes from a valid X-Request-Id or is generated (see requestIdFor).
    requestIdHeader: false,
    genReqId: requestIdFor,
    // The process's one pino logger; its per-request children carry `reqId`. Fastify's own
    // two lines per request are replaced by the single access line (registerAccessLog).
    loggerInstance: createRootLogger(app, logDestination),
    logController: new LogController({ disableRequestLogging: true }),
    // Errors raised before a route matches still get the error envelope.
    clientErrorHandler: replyToConnectionError,
    frameworkErrors: answerFrameworkError,
  });
}

/** Everything that cannot be a provider. Called by main.ts and by every test app. */
export async function setupApp(app: NestFastifyApplication): Promise<NestFastifyApplication> {
  const http = app.get<HttpConfig>(httpConfig.KEY);
  const fastify = app.getHttpAdapter().getInstance();
  // First: the access log and the metrics learn of each request's end through it.
  trackRequestEnds(fastify);
  await setupLogging(app);
  // Fastify parses text/plain by default; a JSON body sent as text must be a 415, not a string.
  fastify.removeContentTypeParser('text/plain');
  registerJsonBodyParser(fastify);
  registerLingeringClose(fastify);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  await registerHttpPlugins(app, http);
  enableGracefulShutdown(app, http);
  return app;
}
