import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiResponse, getSchemaPath, type HeaderObject, type ResponseObject } from '@nestjs/swagger';
import { ERROR_CATALOGUE, type ErrorCode } from '../../core/errors/index.js';
import { ErrorEnvelopeSchema } from './envelope.schemas.js';
import { RESPONSE_HEADERS } from './response-headers.js';

// Headers that come with a code (see the guards and dependency-failure handling).
const HEADERS_BY_CODE: Partial<Record<ErrorCode, Record<string, HeaderObject>>> = {
  UNAUTHORIZED: { 'WWW-Authenticate': RESPONSE_HEADERS.wwwAuthenticate },
  SERVICE_UNAVAILABLE: { 'Retry-After': RESPONSE_HEADERS.retryAfter },
  RATE_LIMITED: { 'Retry-After': RESPONSE_HEADERS.retryAfter, ...rateLimitHeaderObjects() },
};

/** The RateLimit headers every rate-limited response carries, refused or not. */
export function rateLimitHeaderObjects(): Record<string, HeaderObject> {
  return {
    'RateLimit-Limit': RESPONSE_HEADERS.rateLimitLimit,
    'RateLimit-Remaining': RESPONSE_HEADERS.rateLimitRemaining,
    'RateLimit-Reset': RESPONSE_HEADERS.rateLimitReset,
  };
}

function exampleEnvelope(code: ErrorCode) {
  return {
    status: 'error',
    error: { code, message: ERROR_CATALOGUE[code].message },
    timestamp: '2026-11-25T10:47:06.075Z',
    requestId: '1dfcf0b1-d888-4fcd-a329-df4e0939d86f',
    path: '/api/data',
  };
}

/** The OpenAPI response for error envelopes carrying one of `codes` (all of one status). */
export function errorResponseObject(codes: ErrorCode[]): ResponseObject {
  return {
    description: codes.map((code) => `\`${code}\`: ${ERROR_CATALOGUE[code].message}`).join('; '),
    headers: Object.assign({ 'X-Request-Id': RESPONSE_HEADERS.requestId }, ...codes.map((code) => HEADERS_BY_CODE[code] ?? {})),
    content: {
      'application/json': {
        schema: {
          allOf: [
            { $ref: getSchemaPath(ErrorEnvelopeSchema) },
            // Narrows the catalogue to the codes this response can carry.
            { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string', enum: codes } } } } },
          ],
        },
        examples: Object.fromEntries(codes.map((code) => [code, { summary: code, value: exampleEnvelope(code) }])),
      },
    },
  };
}

function errorResponse(status: number, codes: ErrorCode[]) {
  return ApiResponse({ status, ...errorResponseObject(codes) });
}

/**
 * Documents the error envelope for each catalogue code a route can answer with, one response
 * per status (codes sharing a status share it). `@Scopes()` already documents `UNAUTHORIZED`
 * and `FORBIDDEN`; list the rest, `INTERNAL_ERROR` included.
 */
export function ApiErrors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = ERROR_CATALOGUE[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ErrorEnvelopeSchema),
    ...[...byStatus].map(([status, grouped]) => errorResponse(status, grouped)),
  );
}
