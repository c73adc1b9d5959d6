import { Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { LoggerModule, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';

/**
 * nestjs-pino over the logger Fastify already has (`useExisting`): no second pino-http layer.
 * Inside a request Nest's `Logger` writes through Fastify's request logger (so every line
 * carries `reqId`); outside one, through `logger` itself.
 */
export function loggingParams(logger: Logger): Params {
  return { pinoHttp: { logger, wrapSerializers: false }, useExisting: true };
}

function adapterLogger(host: HttpAdapterHost): Logger {
  const fastify = host.httpAdapter?.getInstance<FastifyInstance>();
  // NestFactory.create() sets the adapter before any provider is built; a testing module
  // compiles before it knows its adapter, so create-test-app overrides these params instead.
  if (!fastify) throw new Error('LoggingModule needs the Fastify adapter before providers are built');
  return fastify.log as Logger;
}

/** Nest's `Logger` and `PinoLogger` on the process's one pino logger (see createRootLogger). */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [HttpAdapterHost],
      useFactory: (host: HttpAdapterHost) => loggingParams(adapterLogger(host)),
    }),
  ],
})
export class LoggingModule {}
