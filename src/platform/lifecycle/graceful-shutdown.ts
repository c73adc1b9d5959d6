import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '../../config/index.js';

/** SIGTERM/SIGINT handling. */
export function enableGracefulShutdown(app: NestFastifyApplication, _http: HttpConfig): void {
  app.enableShutdownHooks();
}
