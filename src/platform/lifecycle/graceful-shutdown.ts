import { type INestApplication, Logger, type LoggerService } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Server as NetServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { HttpConfig } from '../../config/index.js';
import { ShutdownState } from './shutdown-state.js';

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export interface ShutdownOptions {
  /** How the sequence ends the process; replaced in unit tests. */
  exit?: (code: number) => void;
  logger?: Pick<LoggerService, 'log' | 'warn' | 'error'>;
}

type ShutdownTiming = Pick<HttpConfig, 'shutdownDrainMs' | 'shutdownGraceMs'>;

/** Between refusing new connections and closing idle ones; see stopAccepting. */
export const ACCEPT_SETTLE_MS = 250;

/**
 * Closes the listening socket only. Node's `server.close()` also destroys every connection it
 * counts as idle, which includes one a gateway has just opened and written a request to that
 * this process has not parsed yet: the gateway sees a reset and, for a POST, cannot safely send
 * it elsewhere (a 502). Refusing new connections first, and closing idle ones only once the
 * connections accepted before have had their requests parsed (then they are in flight and
 * finish), closes that window: a refused connect is one a gateway retries elsewhere. What
 * remains is the kernel's accept queue, reset with the listener; the drain before this step,
 * while the gateway stops routing here, is what keeps it empty.
 */
async function stopAccepting(app: INestApplication): Promise<void> {
  const server: unknown = app.getHttpServer();
  if (!(server instanceof NetServer) || !server.listening) return;
  // The net.Server close, not http.Server's: the latter closes idle connections first. Fastify's
  // own close later finds the listener gone and carries on (it ignores ERR_SERVER_NOT_RUNNING).
  NetServer.prototype.close.call(server);
  await delay(ACCEPT_SETTLE_MS);
}

/**
 * The shutdown sequence, run at most once however many signals arrive:
 * 1. readiness answers 503 at once (ShutdownState), while the server keeps serving;
 * 2. after `shutdownDrainMs` (the gateway has seen the 503 and stopped routing here), new
 *    connections are refused (stopAccepting), then `app.close()`: Nest runs onModuleDestroy and beforeApplicationShutdown hooks, closes the
 *    HTTP server (no new connections, idle keep-alive sockets closed, in-flight requests
 *    finish), and only then runs onApplicationShutdown hooks, where the database is closed;
 * 3. exit 0 — or 1 if closing failed or `shutdownGraceMs` (counted from the signal) passed.
 */
export function shutdownSequence(
  app: INestApplication,
  timing: ShutdownTiming,
  { exit = (code) => process.exit(code), logger = new Logger('Shutdown') }: ShutdownOptions = {},
): (signal: string) => Promise<void> {
  let running: Promise<void> | undefined;

  async function run(signal: string): Promise<void> {
    const deadline = setTimeout(() => {
      logger.error(`Shutdown did not finish within SHUTDOWN_GRACE_MS (${timing.shutdownGraceMs} ms): exiting now`);
      exit(1);
    }, timing.shutdownGraceMs);
    app.get(ShutdownState).begin();
    logger.log(`${signal} received: readiness answers 503, serving ${timing.shutdownDrainMs} ms more while the gateway stops routing here`);
    await delay(timing.shutdownDrainMs);
    logger.log('Closing: no new connections, finishing requests in flight');
    try {
      await stopAccepting(app);
      await app.close();
    } catch (error) {
      clearTimeout(deadline);
      logger.error('Shutdown failed', error instanceof Error ? error.stack : String(error));
      exit(1);
      return;
    }
    clearTimeout(deadline);
    logger.log('Shutdown complete');
    exit(0);
  }

  return (signal) => {
    if (running) {
      logger.warn(`${signal} received while already shutting down: ignored`);
      return running;
    }
    running = run(signal);
    return running;
  };
}

/**
 * The HTTP side of the shutdown, for every app (main.ts and tests, through setupApp): from the
 * moment shutdown begins (the drain, not only once the server closes), each response carries
 * `Connection: close`. A gateway that does not watch readiness (nginx) then stops reusing its
 * keep-alive connections to this replica during the drain, so when the server closes there is
 * no idle connection left on which the gateway could be sending a request at that moment (for
 * a POST it could not retry elsewhere, that race is a 502). The connection of a request in flight
 * at close ends with its response instead of holding the close open until keepAliveTimeout.
 * (Idle connections are closed at once: `forceCloseConnections: 'idle'`, server-options.ts.)
 */
export function enableGracefulShutdown(app: NestFastifyApplication, timing: ShutdownTiming): void {
  if (timing.shutdownDrainMs >= timing.shutdownGraceMs) {
    new Logger('Shutdown').warn(
      `SHUTDOWN_DRAIN_MS (${timing.shutdownDrainMs}) is not below SHUTDOWN_GRACE_MS (${timing.shutdownGraceMs}): every shutdown will be forced`,
    );
  }
  const fastify = app.getHttpAdapter().getInstance();
  const shutdown = app.get(ShutdownState);
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing || shutdown.isShuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });
}

/**
 * SIGTERM/SIGINT start the shutdown sequence. Called by main.ts only, so test apps (many per
 * jest worker) never touch process signals. Returns a function that removes the listeners.
 */
export function listenForShutdownSignals(app: INestApplication, timing: ShutdownTiming, options: ShutdownOptions = {}): () => void {
  const shutdown = shutdownSequence(app, timing, options);
  // The listener stays during the sequence: a second signal is ignored instead of killing
  // the process with the signal's default action.
  const onSignal = (signal: NodeJS.Signals) => void shutdown(signal);
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  return () => {
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
  };
}
