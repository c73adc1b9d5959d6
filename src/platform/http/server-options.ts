import type { FastifyHttpOptions } from 'fastify';
import type { Server } from 'node:http';
import type { HttpConfig } from '../../config/index.js';

/** Node/Fastify server settings for life behind a gateway (see README, Gateway settings). */
export function serverOptions(http: HttpConfig): FastifyHttpOptions<Server> {
  return {
    // Above the gateway's upstream idle timeout: otherwise the gateway may send a request on
    // a connection this server is closing, and the client sees a 502.
    keepAliveTimeout: http.keepAliveTimeoutMs,
    // Slow headers or bodies (slowloris) are cut with 408 instead of holding a socket forever.
    requestTimeout: http.requestTimeoutMs,
    http: { headersTimeout: http.headersTimeoutMs, maxHeaderSize: http.maxHeaderSize },
    // Only listed proxies may set the client address through X-Forwarded-For.
    trustProxy: http.trustProxy.length > 0 ? http.trustProxy : false,
  };
}
