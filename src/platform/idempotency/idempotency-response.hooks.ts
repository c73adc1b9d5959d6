import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key.js';
import { IdempotencyService } from './idempotency.service.js';
import type { Claim, StoredResponse } from './idempotency.store.js';

export type IdempotencyRequestState = { kind: 'claimed'; claim: Claim } | { kind: 'replay'; response: StoredResponse };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by IdempotencyInterceptor for requests with an Idempotency-Key; null otherwise. */
    idempotency: IdempotencyRequestState | null;
  }
}

/** Response headers a replay must repeat; the rest (request id, security headers) are the new request's. */
export const STORED_HEADERS = ['content-type', 'location', 'etag'];

/** The payload onSend sees as bytes; null for a stream, which cannot be stored. */
export function payloadBytes(payload: unknown): Buffer | null {
  if (payload === undefined || payload === null) return Buffer.alloc(0);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  return null;
}

function storedHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  return headers;
}

/**
 * A root onSend hook: it runs after Nest's envelope and the exception filter have produced
 * the body, and before the route's compression, so it sees the serialized bytes clients get.
 * The claimed request's response is stored before it goes out, so a retry that arrives right
 * after it replays instead of seeing 409.
 */
@Injectable()
export class IdempotencyResponseHooks implements OnModuleInit {
  private readonly logger = new Logger('Idempotency');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly idempotency: IdempotencyService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.decorateRequest('idempotency', null);
    // Callback style, not async: every response passes here, and nearly all carry no key.
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const state = request.idempotency;
      if (!state) return done(null, payload);
      request.idempotency = null;
      if (state.kind === 'replay') {
        reply.code(state.response.status);
        for (const [name, value] of Object.entries(state.response.headers)) reply.header(name, value);
        reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return done(null, state.response.body);
      }
      const body = payloadBytes(payload);
      this.idempotency.finish(state.claim, body && { status: reply.statusCode, headers: storedHeaders(reply), body }).then(
        () => done(null, payload),
        (error: unknown) => {
          // The response still goes out; the key stays in flight until its lease ends.
          this.logger.warn(`Storing the response for an idempotency key failed: ${(error as Error).message}`);
          done(null, payload);
        },
      );
    });
  }
}
