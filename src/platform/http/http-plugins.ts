import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { HttpConfig } from '../../config/index.js';

/** Compression, security headers, CORS and the OpenAPI docs. */
export async function registerHttpPlugins(_app: NestFastifyApplication, _http: HttpConfig): Promise<void> {
  // Filled in by the HTTP niceties work (compress, helmet, CORS, swagger).
}
