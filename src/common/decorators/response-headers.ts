import type { HeaderObject } from '@nestjs/swagger';

/** Response headers documented by `@ApiEnvelope`, `@ApiErrors` and route decorators. */
export const RESPONSE_HEADERS = {
  requestId: { description: "The caller's valid X-Request-Id, or a generated UUID.", schema: { type: 'string' } },
  etag: { description: 'The record version as a strong ETag.', schema: { type: 'string', example: '"1"' } },
  location: { description: "The new record's URL.", schema: { type: 'string', example: '/api/data/{id}' } },
  wwwAuthenticate: { description: 'RFC 6750 challenge.', schema: { type: 'string', example: 'Bearer realm="data-api"' } },
  retryAfter: { description: 'Seconds to wait before retrying.', schema: { type: 'string', example: '1' } },
  rateLimitLimit: { description: "Requests the caller may make per window (IETF RateLimit headers draft).", schema: { type: 'string', example: '100' } },
  rateLimitRemaining: { description: 'Requests left in the current window.', schema: { type: 'string', example: '99' } },
  rateLimitReset: { description: 'Seconds until the window resets.', schema: { type: 'string', example: '60' } },
} satisfies Record<string, HeaderObject>;
