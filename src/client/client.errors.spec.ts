import {
  ApiError,
  codeForStatus,
  ConflictError,
  createApiError,
  InternalServerError,
  NotFoundError,
  parseErrorEnvelope,
  RateLimitedError,
  ServiceUnavailableError,
  ValidationError,
} from './client.errors.js';

describe('createApiError', () => {
  it('picks the class from the envelope code', () => {
    expect(createApiError({ status: 400, code: 'MALFORMED_JSON', message: 'm' })).toBeInstanceOf(ValidationError);
    expect(createApiError({ status: 404, code: 'NOT_FOUND', message: 'm' })).toBeInstanceOf(NotFoundError);
    expect(createApiError({ status: 409, code: 'CONFLICT', message: 'm' })).toBeInstanceOf(ConflictError);
    expect(createApiError({ status: 429, code: 'RATE_LIMITED', message: 'm' })).toBeInstanceOf(RateLimitedError);
  });

  it('falls back to the status for an unknown code, and to ApiError for an unknown status', () => {
    const unknownCode = createApiError({ status: 500, code: 'SOMETHING_NEW', message: 'm' });
    expect(unknownCode).toBeInstanceOf(InternalServerError);
    expect(unknownCode.code).toBe('SOMETHING_NEW');
    const teapot = createApiError({ status: 418, code: codeForStatus(418), message: 'm' });
    expect(teapot.constructor).toBe(ApiError);
    expect(teapot.code).toBe('HTTP_418');
  });

  it('groups gateway failures with 503', () => {
    expect(createApiError({ status: 502, code: codeForStatus(502), message: 'm' })).toBeInstanceOf(ServiceUnavailableError);
    expect(createApiError({ status: 504, code: codeForStatus(504), message: 'm' })).toBeInstanceOf(ServiceUnavailableError);
  });

  it('names errors after their class', () => {
    expect(createApiError({ status: 404, code: 'NOT_FOUND', message: 'm' }).name).toBe('NotFoundError');
  });
});

describe('parseErrorEnvelope', () => {
  it('reads the code, message, details and request id', () => {
    const text = JSON.stringify({ status: 'error', error: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'key' }] }, requestId: 'r1' });
    expect(parseErrorEnvelope(text)).toEqual({ error: { code: 'VALIDATION_FAILED', message: 'bad', details: [{ field: 'key' }] }, requestId: 'r1' });
  });

  it('is undefined for anything else', () => {
    expect(parseErrorEnvelope('<html>Bad Gateway</html>')).toBeUndefined();
    expect(parseErrorEnvelope('{"error":"x"}')).toBeUndefined();
  });
});
