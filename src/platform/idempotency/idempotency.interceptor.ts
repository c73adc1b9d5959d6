import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { from, type Observable, of, switchMap } from 'rxjs';
import type { Caller } from '../../auth/caller.js';
import { AppError } from '../../core/errors/index.js';
import { parseIdempotencyKey } from './idempotency-key.js';
import { IdempotencyService } from './idempotency.service.js';
import { requestFingerprint } from './request-fingerprint.js';

/**
 * Runs after the guards (so the owner is known) and before the pipes and the handler. It only
 * decides; the response hooks (IdempotencyResponseHooks) store what was finally sent — the
 * enveloped, serialized body — or write the stored one in place of a replay's.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly idempotency: IdempotencyService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: Caller }>();
    const key = parseIdempotencyKey(request.raw);
    // Keys are scoped per owner: without a verified caller (a public route) there is no scope.
    if (key === undefined || !request.user) return next.handle();
    const owner = request.user.sub;
    const fingerprint = requestFingerprint({ method: request.method, url: request.url, owner, body: request.body });
    return from(this.idempotency.begin(owner, key, fingerprint)).pipe(
      switchMap((decision) => {
        switch (decision.kind) {
          case 'proceed':
            request.idempotency = { kind: 'claimed', claim: decision.claim };
            return next.handle();
          case 'replay':
            // Whatever the envelope makes of this is replaced by the stored bytes in onSend.
            request.idempotency = { kind: 'replay', response: decision.response };
            return of(null);
          case 'mismatch':
            throw new AppError('UNPROCESSABLE', 'This Idempotency-Key was already used with a different request');
          case 'in_flight':
            throw new AppError('CONFLICT', 'A request with this Idempotency-Key is still being processed', undefined, {
              'Retry-After': '1',
            });
        }
      }),
    );
  }
}
