import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance } from 'fastify';
import type { Counter, Gauge, Histogram } from 'prom-client';
import { onRequestEnd } from '../../core/http/request-end.js';
import { HttpMetricsRecorder, routeLabel } from './http-metrics.recorder.js';
import { METRIC_NAMES, UNMATCHED_ROUTE } from './metrics.constants.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The `route` label, resolved once in onRequest; null when the request is not counted or never got there. */
    metricsRoute: string | null;
  }
}

/**
 * Records every request in Fastify's own hooks rather than a Nest interceptor, so errors
 * raised before a handler runs (404, 401, 413, 415, malformed JSON or URL) are counted too, and
 * requests that end without a full response (a 408 for a stalled body, a client gone: 499).
 * Registered in onModuleInit: after the adapter exists (main.ts and the test factory alike)
 * and before Fastify is ready, which is when hooks stop being accepted.
 */
@Injectable()
export class HttpMetricsHooks implements OnModuleInit {
  private readonly recorder: HttpMetricsRecorder;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @InjectMetric(METRIC_NAMES.httpRequests) requests: Counter<'method' | 'route' | 'status_code'>,
    @InjectMetric(METRIC_NAMES.httpRequestDuration) duration: Histogram<'method' | 'route' | 'status_code'>,
    @InjectMetric(METRIC_NAMES.httpRequestsInFlight) inFlight: Gauge,
  ) {
    this.recorder = new HttpMetricsRecorder(requests, duration, inFlight);
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const recorder = this.recorder;
    fastify.decorateRequest('metricsRoute', null);
    fastify.addHook('onRequest', (request, _reply, done) => {
      // Fastify has routed the request already; routeOptions is built per read, so read it once.
      const route = routeLabel(request.routeOptions.url);
      request.metricsRoute = route;
      if (route !== null) recorder.started();
      done();
    });
    // Every request ends, answered or aborted, exactly once (see trackRequestEnds).
    onRequestEnd(fastify, (request, reply, end) => {
      // Started in onRequest. Fastify builds a request it answers without hooks undecorated: undefined.
      if (request.metricsRoute) recorder.finished();
      // Requests handed to the not-found handler after routing (an OPTIONS the CORS route does
      // not answer) or never through these hooks (a URL the router rejects) are unmatched.
      const route = request.is404 ? UNMATCHED_ROUTE : request.metricsRoute;
      if (route !== null) recorder.record(request.method, route, end.statusCode, reply.elapsedTime / 1000);
    });
  }
}
