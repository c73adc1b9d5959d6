import fastifyCompress from '@fastify/compress';
import fastifyMultipart from '@fastify/multipart';
import { type NestFastifyApplication, RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { constants as zlib } from 'node:zlib';
import type { HttpConfig } from '../../config/index.js';
import { AppError } from '../../core/errors/index.js';
import { setupDocs } from '../docs/docs.setup.js';
import { registerSecurityHeaders } from './security-headers.js';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/** Request headers browsers may send cross-origin, and response headers scripts may read. */
// Range and If-Range: resumable and partial file downloads from a browser.
export const CORS_ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'X-Request-Id', 'Range', 'If-Range'];
export const CORS_EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'X-Request-Id',
  'Retry-After',
  'WWW-Authenticate',
  'X-Cache',
  'Idempotent-Replayed',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  // File downloads: the file name, the range sent, and that ranges are supported.
  'Content-Disposition',
  'Content-Range',
  'Accept-Ranges',
];
export const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];

/** Responses of at least this many bytes are compressed when the client accepts br or gzip. */
export const COMPRESSION_THRESHOLD = 1024;

/** What a route allows beyond the defaults; set with `@HttpRoute({...})` on a handler. */
export interface HttpRouteOptions {
  /** Accept a multipart/form-data body, read by the handler (`request.parts()`); elsewhere 415. */
  multipart?: boolean;
  /** Never compress the response: byte ranges and Content-Length must describe the bytes sent. */
  noCompression?: boolean;
}

/** Route options for the HTTP plugins (multipart bodies, no compression), as Fastify route config. */
export const HttpRoute = (options: HttpRouteOptions) => RouteConfig(options);

const routeOptionsOf = (config: unknown) => (config ?? {}) as HttpRouteOptions;

/**
 * Multipart parsing is registered for the whole server, but a multipart body only reaches
 * routes that read one: anywhere else it stays a 415, as before the plugin existed.
 */
function allowMultipartOnlyWhereDeclared(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.is404 || !request.isMultipart() || routeOptionsOf(request.routeOptions.config).multipart) return done();
    done(new AppError('UNSUPPORTED_MEDIA_TYPE', 'multipart/form-data is not accepted here'));
  });
}

/**
 * Compression, multipart bodies, security headers, CORS and the OpenAPI docs. Runs before Nest
 * registers its routes, so the compress plugin's route hook sees every route.
 */
export async function registerHttpPlugins(app: NestFastifyApplication, http: HttpConfig): Promise<void> {
  // A JSON API renders nothing: its CSP allows nothing (the docs get their own, see setupDocs).
  registerSecurityHeaders(app.getHttpAdapter().getInstance(), {
    contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] } },
    frameguard: { action: 'deny' },
  });
  // Nest runs an onRequest CORS hook before every other hook, so a preflight it answered would
  // carry no request id or security headers and escape the metrics: see corsOptions' `hook`.
  if (http.corsOrigins.length > 0) app.enableCors(corsOptions(http.corsOrigins));
  // Parses nothing itself: the route's handler streams the parts (request.parts()).
  await app.register(fastifyMultipart);
  const fastify = app.getHttpAdapter().getInstance();
  allowMultipartOnlyWhereDeclared(fastify);
  // Before the compress plugin's own onRoute hook, which reads `compress` to skip a route.
  fastify.addHook('onRoute', (route) => {
    if (routeOptionsOf(route.config).noCompression) Object.assign(route, { compress: false });
  });
  await app.register(fastifyCompress, {
    encodings: ['br', 'gzip'],
    threshold: COMPRESSION_THRESHOLD,
    // Quality 4 of 11: close to gzip's ratio on JSON at a fraction of brotli's maximum cost.
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
    // The plugin's default types plus NDJSON (exports), which neither that default nor mime-db
    // marks compressible. Giving `customTypes` replaces the default, so it is repeated here.
    customTypes: /^application\/x-ndjson(?:;|$)|^text\/(?!event-stream)|(?:\+|\/)json(?:;|$)|(?:\+|\/)text(?:;|$)|(?:\+|\/)xml(?:;|$)|octet-stream(?:;|$)/u,
    // Request bodies stay identity-only: a compressed body would bypass the size limit's intent.
    globalDecompression: false,
  });
  setupDocs(app);
}

/**
 * Exact-origin allowlist. Any other origin (or none) gets no CORS headers at all, and its
 * preflight falls through to the 404 envelope, so nothing about the API is advertised to it.
 */
function corsOptions(origins: readonly string[]): CorsOptions {
  const allowed = new Set(origins);
  return {
    origin: (origin: string | undefined, callback: (error: Error | null, allow: string | false) => void) =>
      callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: CORS_METHODS,
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: CORS_EXPOSED_HEADERS,
    maxAge: 600,
    // A preflight-looking OPTIONS without Access-Control-Request-Method is answered like one
    // instead of with the plugin's text/plain 400, which would break the error envelope rule.
    strictPreflight: false,
    // After every onRequest hook (request id, security headers, metrics), still before the
    // body is read and before any guard: a preflight is an ordinary, counted, logged request.
    hook: 'preParsing',
  };
}
