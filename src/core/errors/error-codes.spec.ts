import { ERROR_CATALOGUE, type ErrorCode, codeForStatus } from './error-codes.js';

describe('ERROR_CATALOGUE', () => {
  // The published contract: clients rely on these codes and statuses.
  const expected: Record<ErrorCode, number> = {
    VALIDATION_FAILED: 400,
    MALFORMED_JSON: 400,
    UNAUTHORIZED: 401,
    FORBIDDEN: 403,
    NOT_FOUND: 404,
    CONFLICT: 409,
    REQUEST_TIMEOUT: 408,
    PRECONDITION_FAILED: 412,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    RANGE_NOT_SATISFIABLE: 416,
    UNPROCESSABLE: 422,
    RATE_LIMITED: 429,
    HEADERS_TOO_LARGE: 431,
    INTERNAL_ERROR: 500,
    SERVICE_UNAVAILABLE: 503,
  };

  it('holds exactly the documented codes, each with its status', () => {
    const actual = Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [code, entry.status]));
    expect(actual).toEqual(expected);
  });

  it('gives every code a non-empty message', () => {
    for (const entry of Object.values(ERROR_CATALOGUE)) expect(entry.message.trim().length).toBeGreaterThan(0);
  });

  it('shares a status between two codes only for the two 400s', () => {
    const codesByStatus = new Map<number, string[]>();
    for (const [code, { status }] of Object.entries(ERROR_CATALOGUE)) {
      codesByStatus.set(status, [...(codesByStatus.get(status) ?? []), code]);
    }
    const shared = [...codesByStatus.entries()].filter(([, codes]) => codes.length > 1);
    expect(shared).toEqual([[400, ['VALIDATION_FAILED', 'MALFORMED_JSON']]]);
  });
});

describe('codeForStatus', () => {
  it.each([
    [400, 'VALIDATION_FAILED'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [408, 'REQUEST_TIMEOUT'],
    [409, 'CONFLICT'],
    [412, 'PRECONDITION_FAILED'],
    [413, 'PAYLOAD_TOO_LARGE'],
    [415, 'UNSUPPORTED_MEDIA_TYPE'],
    [422, 'UNPROCESSABLE'],
    [429, 'RATE_LIMITED'],
    [431, 'HEADERS_TOO_LARGE'],
    [500, 'INTERNAL_ERROR'],
    [503, 'SERVICE_UNAVAILABLE'],
  ])('maps %i to %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });

  it('round-trips every catalogue status except the JSON-specific 400', () => {
    for (const [code, { status }] of Object.entries(ERROR_CATALOGUE)) {
      if (code === 'MALFORMED_JSON') continue;
      expect(codeForStatus(status)).toBe(code);
    }
  });

  it.each([402, 405, 406, 418, 451])('falls back to VALIDATION_FAILED for the uncatalogued client status %i', (status) => {
    expect(codeForStatus(status)).toBe('VALIDATION_FAILED');
  });

  it.each([501, 502, 504, 599])('falls back to INTERNAL_ERROR for the uncatalogued server status %i', (status) => {
    expect(codeForStatus(status)).toBe('INTERNAL_ERROR');
  });
});
