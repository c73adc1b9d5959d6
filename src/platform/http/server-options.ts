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
    // Node checks both timeouts every connectionsCheckingInterval (default 30 s, which would
    // let a slow client hold a socket up to 30 s past them): check every second.
    http: { headersTimeout: http.headersTimeoutMs, maxHeaderSize: http.maxHeaderSize, connectionsCheckingInterval: 1_000 },
    // Only listed proxies may set the client address through X-Forwarded-For.
    trustProxy: http.trustProxy.length > 0 ? http.trustProxy : false,
    // On close, idle keep-alive sockets are closed at once instead of holding the close open
    // until keepAliveTimeout; sockets with a request in flight close after their response.
    forceCloseConnections: 'idle',
    // A request that still arrives on an open connection while the server closes (the gateway
    // has had SHUTDOWN_DRAIN_MS to stop routing here) is served, with `Connection: close`,
    // rather than refused with a 503: the database is still open until the server has closed.
    return503OnClosing: false,
  };
}
