import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

type HelmetMiddleware = ReturnType<typeof helmet>;

/** Each server's global middleware, for replies sent without hooks (see applySecurityHeaders). */
const globalMiddleware = new WeakMap<FastifyInstance, HelmetMiddleware>();

/** Route config key for a route's own helmet options (merged over the global ones), as @fastify/helmet reads it. */
export interface SecurityHeadersRouteConfig {
  helmet?: HelmetOptions;
}

/**
 * helmet's security headers on every response, errors and 404s included; a route's
 * `config.helmet` options replace the global ones key by key (the API docs' CSP).
 *
 * Not @fastify/helmet: it builds a new helmet middleware, parsing every option and the CSP
 * directives, in two hooks on every request. Here each configuration's middleware is built
 * once, and one hook applies it: the same library, the same headers.
 */
export function registerSecurityHeaders(fastify: FastifyInstance, options: HelmetOptions): void {
  const global = helmet(options);
  globalMiddleware.set(fastify, global);
  const perRoute = new WeakMap<HelmetOptions, HelmetMiddleware>();
  const middlewareFor = (routeOptions: HelmetOptions | undefined): HelmetMiddleware => {
    if (routeOptions === undefined) return global;
    let middleware = perRoute.get(routeOptions);
    if (middleware === undefined) perRoute.set(routeOptions, (middleware = helmet(Object.assign({}, options, routeOptions) as HelmetOptions)));
    return middleware;
  };
  fastify.addHook('onRequest', (request, reply, done) => {
    const config = request.routeOptions.config as SecurityHeadersRouteConfig | undefined;
    // helmet sets the headers on the raw response and calls back at once.
    middlewareFor(config?.helmet)(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}

/**
 * The global security headers on a reply Fastify sends without running hooks (a URL its router
 * rejects, see frameworkErrors in app.setup); no route matched, so no route options apply.
 */
export function applySecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  globalMiddleware.get(request.server)?.(request.raw, reply.raw, () => undefined);
}
