import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { HelmetOptions } from 'helmet';
import { buildOpenApiDocument } from './openapi.document.js';

export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = `${DOCS_PATH}/json`;

/**
 * Helmet options for the swagger UI only; the API's own CSP allows nothing. The UI loads its
 * scripts, styles and images from /docs and uses inline styles; no upgrade-insecure-requests,
 * which would break the page on a plain-HTTP development server.
 */
export const DOCS_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'", 'data:'],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  },
};

/**
 * Swagger UI at /docs and the document at /docs/json. Both are plain Fastify routes, outside
 * Nest's guards, so they are public like the README says. Call before the app initializes.
 */
export function setupDocs(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  // The security headers hook reads `config.helmet` per route: the docs routes get the UI's CSP.
  fastify.addHook('onRoute', (route) => {
    if (route.url === DOCS_PATH || route.url.startsWith(`${DOCS_PATH}/`)) {
      route.config = Object.assign(route.config ?? {}, { helmet: DOCS_HELMET_OPTIONS });
    }
  });
  // Built on the first request for it (then kept), not at startup: it is not needed to serve.
  SwaggerModule.setup(DOCS_PATH, app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'data-api',
    // The UI would otherwise ask validator.swagger.io about the document (a third-party request).
    swaggerOptions: { validatorUrl: null },
  });
}
