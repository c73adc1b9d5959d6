import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  PreconditionFailedException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { AppError } from '../errors/index.js';
import { describeError } from './describe-error.js';

/** An error shaped like the ones Fastify raises (`FST_ERR_*`, with a statusCode). */
function fastifyError(message: string, code: string, statusCode: number): Error {
  return Object.assign(new Error(message), { code, statusCode });
}

describe('describeError', () => {
  describe('AppError', () => {
    it('keeps code, catalogue status, message, details and headers', () => {
      const details = [{ field: 'key', messages: ['key must be a string'] }];
      const headers = { 'WWW-Authenticate': 'Bearer realm="data-api"' };
      expect(describeError(new AppError('UNAUTHORIZED', 'No token', details, headers))).toEqual({
        status: 401,
        code: 'UNAUTHORIZED',
        message: 'No token',
        details,
        headers,
      });
    });

    it('reports a 5xx AppError with its own code and no cause to log', () => {
      const described = describeError(new AppError('SERVICE_UNAVAILABLE'));
      expect(described).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable' });
      expect(described.cause).toBeUndefined();
    });
  });

  describe('HttpException 4xx', () => {
    it.each([
      [new BadRequestException(), 400, 'VALIDATION_FAILED'],
      [new UnauthorizedException(), 401, 'UNAUTHORIZED'],
      [new ForbiddenException(), 403, 'FORBIDDEN'],
      [new NotFoundException(), 404, 'NOT_FOUND'],
      [new ConflictException(), 409, 'CONFLICT'],
      [new PreconditionFailedException(), 412, 'PRECONDITION_FAILED'],
      [new PayloadTooLargeException(), 413, 'PAYLOAD_TOO_LARGE'],
      [new UnsupportedMediaTypeException(), 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [new UnprocessableEntityException(), 422, 'UNPROCESSABLE'],
      [new HttpException('Too Many Requests', 429), 429, 'RATE_LIMITED'],
    ])('maps %p to %i %s', (exception, status, code) => {
      const described = describeError(exception);
      expect(described).toMatchObject({ status, code });
      expect(described.cause).toBeUndefined();
    });

    it('uses the message of a string response', () => {
      expect(describeError(new NotFoundException('Cannot GET /nope')).message).toBe('Cannot GET /nope');
    });

    it('joins an array of messages', () => {
      expect(describeError(new BadRequestException(['a is bad', 'b is bad'])).message).toBe('a is bad; b is bad');
    });

    it('uses the message of an object response', () => {
      expect(describeError(new HttpException({ message: 'taken' }, 409)).message).toBe('taken');
    });

    it('gives an uncatalogued client status a catalogue code and that code\'s status', () => {
      expect(describeError(new HttpException('Method Not Allowed', 405))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('Fastify errors wrapped by Nest (HttpException with the Fastify error as cause)', () => {
    it.each([
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 413, 'PAYLOAD_TOO_LARGE'],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 400, 'MALFORMED_JSON'],
      ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 400, 'MALFORMED_JSON'],
      ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 400, 'MALFORMED_JSON'],
    ])('maps %s (%i) to %i %s', (fastifyCode, fastifyStatus, status, code) => {
      const cause = fastifyError('Fastify says no', fastifyCode, fastifyStatus);
      const exception = new HttpException('Fastify says no', fastifyStatus, { cause });
      expect(describeError(exception)).toEqual({ status, code, message: 'Fastify says no' });
    });

    it('maps the example from Nest 12 to UNSUPPORTED_MEDIA_TYPE', () => {
      const exception = new HttpException('x', 415, {
        cause: Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }),
      });
      expect(describeError(exception)).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('falls back to the status for an unknown Fastify code', () => {
      const cause = fastifyError('Not Found', 'FST_ERR_NOT_FOUND', 404);
      expect(describeError(new HttpException('Not Found', 404, { cause }))).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });

    it('ignores a cause that carries no client status', () => {
      const exception = new BadRequestException('bad input', { cause: new Error('internal detail') });
      expect(describeError(exception)).toEqual({ status: 400, code: 'VALIDATION_FAILED', message: 'bad input' });
    });
  });

  describe('plain errors with a statusCode (Fastify errors that reach the filter unwrapped)', () => {
    it('maps a known Fastify code', () => {
      const error = fastifyError('Request body is too large', 'FST_ERR_CTP_BODY_TOO_LARGE', 413);
      expect(describeError(error)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'Request body is too large' });
    });

    it('maps an over-long path parameter to NOT_FOUND without echoing the path', () => {
      const path = `/api/data/${'a'.repeat(5000)}`;
      const described = describeError(fastifyError(`'${path}' is exceeding the max param length`, 'FST_ERR_MAX_PARAM_LENGTH', 414));
      expect(described).toEqual({ status: 404, code: 'NOT_FOUND', message: 'Resource not found' });
    });

    it('maps by status without a code', () => {
      const error = Object.assign(new Error('gone'), { statusCode: 404 });
      expect(describeError(error)).toEqual({ status: 404, code: 'NOT_FOUND', message: 'gone' });
    });

    it('treats a 5xx statusCode as an internal error, masked', () => {
      const error = Object.assign(new Error('upstream exploded'), { statusCode: 502 });
      expect(describeError(error)).toEqual({ status: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', cause: error });
    });

    it('does not trust a statusCode on something that is not an Error', () => {
      const thrown = { statusCode: 404, message: 'not an error' };
      expect(describeError(thrown)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', cause: thrown });
    });
  });

  describe('server failures', () => {
    it.each([
      ['an Error', new Error('password=hunter2 in connection string')],
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'x')")],
      ['a string', 'boom'],
      ['undefined', undefined],
      ['null', null],
      ['a 500 HttpException', new InternalServerErrorException('db down: secret detail')],
      ['a 502 HttpException', new HttpException('bad gateway detail', 502)],
    ])('masks %s as 500 INTERNAL_ERROR and keeps it as the cause', (_name, thrown) => {
      expect(describeError(thrown)).toEqual({
        status: 500,
        code: 'INTERNAL_ERROR',
        message: 'Internal server error',
        cause: thrown,
      });
    });

    it('maps a 503 HttpException to SERVICE_UNAVAILABLE with the catalogue message', () => {
      const described = describeError(new ServiceUnavailableException('database pool exhausted at 10.0.0.5'));
      expect(described).toEqual({ status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Service unavailable' });
    });

    it('maps a database that cannot be reached to a retryable 503, keeping the cause for the log only', () => {
      const refused = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
      const described = describeError(refused);
      expect(described).toEqual({
        status: 503,
        code: 'SERVICE_UNAVAILABLE',
        message: 'A dependency is unavailable, retry later',
        headers: { 'Retry-After': '1' },
        cause: refused,
      });
    });
  });
});
