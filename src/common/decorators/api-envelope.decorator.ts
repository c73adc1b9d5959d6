import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, type HeaderObject } from '@nestjs/swagger';
import { ListEnvelopeSchema, SuccessEnvelopeSchema } from './envelope.schemas.js';
import { RESPONSE_HEADERS } from './response-headers.js';

export interface ApiEnvelopeOptions {
  /** 200 unless given. */
  status?: number;
  description?: string;
  /** Headers beyond X-Request-Id, which every response carries. */
  headers?: Record<string, HeaderObject>;
}

/**
 * Documents the success envelope around `model`: `@ApiEnvelope(Dto)` for `data: Dto`,
 * `@ApiEnvelope([Dto])` for a list envelope (`data: Dto[]` plus `page`), as the handler
 * returns a value or a `Page`.
 */
export function ApiEnvelope(model: Type<unknown> | [Type<unknown>], options: ApiEnvelopeOptions = {}) {
  const list = Array.isArray(model);
  const item = list ? model[0] : model;
  const envelope = list ? ListEnvelopeSchema : SuccessEnvelopeSchema;
  const data = list ? { type: 'array' as const, items: { $ref: getSchemaPath(item) } } : { $ref: getSchemaPath(item) };
  return applyDecorators(
    ApiExtraModels(envelope, item),
    ApiResponse({
      status: options.status ?? 200,
      description: options.description ?? (list ? 'One page of results' : 'Success'),
      headers: { 'X-Request-Id': RESPONSE_HEADERS.requestId, ...options.headers },
      schema: {
        allOf: [{ $ref: getSchemaPath(envelope) }, { type: 'object', required: ['data'], properties: { data } }],
      },
    }),
  );
}
