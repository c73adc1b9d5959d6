import { type DestinationStream, type Logger, type LoggerOptions, pino, stdSerializers } from 'pino';
import type { AppConfig } from '../../config/index.js';
import { redactSecrets } from './redact-secrets.js';

/** Errors with their stack; any enumerable field of the error named like a secret is censored. */
export function serializeError(error: Error): Record<string, unknown> {
  return redactSecrets({ ...stdSerializers.err(error) });
}

function loggerOptions(config: Pick<AppConfig, 'logLevel'>, pretty: boolean): LoggerOptions {
  return {
    level: config.logLevel,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
    formatters: {
      // Level names for log stacks; pino-pretty reads pino's numbers.
      ...(pretty ? {} : { level: (label: string) => ({ level: label }) }),
      // Every logged object; child bindings (reqId, context) are the app's own and not scanned.
      log: (fields) => redactSecrets(fields),
    },
  };
}

/**
 * The one pino logger of the process: Fastify's request loggers are its children, and Nest's
 * `Logger` writes through it (see LoggingModule). JSON lines on stdout (or `destination`);
 * human-readable through pino-pretty in development only (a devDependency).
 */
export function createRootLogger(config: Pick<AppConfig, 'logLevel' | 'nodeEnv'>, destination?: DestinationStream): Logger {
  const pretty = !destination && config.nodeEnv === 'development';
  const options = loggerOptions(config, pretty);
  if (!pretty) return pino(options, destination);
  return pino({
    ...options,
    transport: {
      target: 'pino-pretty',
      options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,context', messageFormat: '{if context}[{context}] {end}{msg}' },
    },
  });
}
