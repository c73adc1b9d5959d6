import type { LogLevel } from '@nestjs/common';
import type { AppConfig } from '../../config/index.js';

const ORDER: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const THRESHOLD: Record<Exclude<AppConfig['logLevel'], 'silent'>, LogLevel> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  info: 'log',
  debug: 'debug',
  trace: 'verbose',
};

/** LOG_LEVEL (pino-style names) → the Nest logger levels to enable; `false` for silent. */
export function nestLogLevels(level: AppConfig['logLevel']): LogLevel[] | false {
  if (level === 'silent') return false;
  return ORDER.slice(0, ORDER.indexOf(THRESHOLD[level]) + 1);
}
