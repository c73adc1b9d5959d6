import { type ConfigType, registerAs } from '@nestjs/config';
import { readEnum, readHost, readInt } from './env.reader.js';

export const NODE_ENVS = ['development', 'production', 'test'] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const appConfig = registerAs('app', () => {
  const env = process.env;
  return {
    nodeEnv: readEnum(env, 'NODE_ENV', NODE_ENVS, 'development'),
    host: readHost(env, 'HOST', '0.0.0.0'),
    port: readInt(env, 'PORT', 3000, { min: 0, max: 65535 }),
    /** Largest request body Fastify reads, in bytes; larger ones get 413 before parsing. */
    bodyLimit: readInt(env, 'BODY_LIMIT', 1024 * 1024, { min: 1024, max: 1024 * 1024 * 1024 }),
    logLevel: readEnum(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
  };
});

export type AppConfig = ConfigType<typeof appConfig>;
