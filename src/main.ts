import 'reflect-metadata';
import { inspect } from 'node:util';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { createFastifyAdapter, NEST_APP_OPTIONS, setupApp } from './app.setup.js';
import { appConfig, configNamespaces, httpConfig } from './config/index.js';
import { loadEnvFile } from './config/load-env-file.js';
import { listenForShutdownSignals } from './platform/lifecycle/index.js';

async function bootstrap(): Promise<void> {
  loadEnvFile();
  // Validate every namespace first, so a bad variable stops startup with one line naming it.
  for (const load of configNamespaces) load();
  const config = appConfig();
  const http = httpConfig();
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createFastifyAdapter(config, http), {
    ...NEST_APP_OPTIONS,
    abortOnError: false,
    // A failed start prints only the one line below, not Nest's buffered bootstrap lines and stack.
    autoFlushLogs: false,
  });
  await setupApp(app);
  app.flushLogs();
  await app.listen({ port: config.port, host: config.host }).catch((error: unknown) => {
    // HOST is checked for form at boot; whether it names this machine only listen can tell.
    throw new Error(`cannot listen on HOST=${config.host} PORT=${config.port}: ${describeFailure(error)}`);
  });
  // Signals are handled here only: test apps built through setupApp() never touch them.
  listenForShutdownSignals(app, http);
  new Logger('Bootstrap').log(`data-api listening on ${await app.getUrl()}`);
}

/** One line: an Error's message; anything else thrown (a library's plain object) shown as it is, not "[object Object]". */
function describeFailure(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : inspect(error, { breakLength: Infinity, depth: 3 });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`data-api failed to start: ${describeFailure(error)}\n`);
  process.exit(1);
});
