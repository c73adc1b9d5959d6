import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { map, type Observable } from 'rxjs';
import { MemoizedReflector } from '../../common/metadata/memoized-reflector.js';
import { SKIP_ENVELOPE } from '../../common/decorators/skip-envelope.decorator.js';
import { NOT_MODIFIED, Page } from '../../common/http/page.js';
import { SerializedResult } from '../../common/http/serialized-result.js';
import { serializedSuccessEnvelope, successEnvelope } from '../http/envelope.js';

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** Wraps every successful handler result in the success envelope. */
@Injectable()
export class EnvelopeInterceptor implements NestInterceptor {
  private readonly metadata: MemoizedReflector;

  constructor(reflector: Reflector) {
    this.metadata = new MemoizedReflector(reflector);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    if (this.metadata.getAllAndOverride<boolean>(SKIP_ENVELOPE, [context.getHandler(), context.getClass()])) {
      return next.handle();
    }
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      map((result: unknown) => {
        // 204 and 304 carry no body at all.
        if (result === NOT_MODIFIED || reply.statusCode === 204 || reply.statusCode === 304) return undefined;
        if (result instanceof Page) return successEnvelope(result.items, request.id, result.info);
        if (result instanceof SerializedResult) {
          // Fastify sends a string as it is once a content type is set: the type it would give the object.
          reply.type(JSON_CONTENT_TYPE);
          return serializedSuccessEnvelope(result, request.id);
        }
        return successEnvelope(result ?? null, request.id);
      }),
    );
  }
}
