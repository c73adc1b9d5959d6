/**
 * The one catalogue of error codes clients may rely on. Codes are stable; messages are
 * for humans and may change. Adding a code is an API change: document it in the README.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: 'Request validation failed' },
  MALFORMED_JSON: { status: 400, message: 'Request body is not valid JSON' },
  UNAUTHORIZED: { status: 401, message: 'Missing or invalid bearer token' },
  FORBIDDEN: { status: 403, message: 'Token lacks the required scope' },
  NOT_FOUND: { status: 404, message: 'Resource not found' },
  CONFLICT: { status: 409, message: 'Request conflicts with the current state' },
  REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
  PRECONDITION_FAILED: { status: 412, message: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'Request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported content type' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'Requested range not satisfiable' },
  UNPROCESSABLE: { status: 422, message: 'Request cannot be processed' },
  RATE_LIMITED: { status: 429, message: 'Too many requests' },
  HEADERS_TOO_LARGE: { status: 431, message: 'Request headers are too large' },
  INTERNAL_ERROR: { status: 500, message: 'Internal server error' },
  SERVICE_UNAVAILABLE: { status: 503, message: 'Service unavailable' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

const CODE_BY_STATUS = new Map<number, ErrorCode>(
  (Object.keys(ERROR_CATALOGUE) as ErrorCode[])
    .filter((code) => code !== 'MALFORMED_JSON')
    .map((code) => [ERROR_CATALOGUE[code].status, code]),
);

/** The catalogue code for a status raised by code that does not know the catalogue. */
export function codeForStatus(status: number): ErrorCode {
  return CODE_BY_STATUS.get(status) ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED');
}
