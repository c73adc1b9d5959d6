import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiErrors } from '../../common/decorators/api-errors.decorator.js';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * Makes a (POST) handler honour `Idempotency-Key`: the first response with a key is stored
 * per owner for IDEMPOTENCY_TTL_S and replayed for a retry with the same request (header
 * `Idempotent-Replayed: true`); a different request with the key is a 422, a retry while the
 * first still runs a 409. Needs an authenticated route; keep VALIDATION_FAILED in its errors.
 */
export function Idempotent() {
  return applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes retries safe: the first response is stored and replayed (with `Idempotent-Replayed: true`) for the same request with the same key.',
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x20-\\x7E]{1,255}$' },
    }),
    ApiErrors('CONFLICT', 'UNPROCESSABLE'),
  );
}
