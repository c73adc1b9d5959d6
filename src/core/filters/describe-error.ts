import { HttpException } from '@nestjs/common';
import { isDependencyFailure } from './dependency-failure.js';
import { AppError, ERROR_CATALOGUE, type ErrorCode, type ErrorDetail, codeForStatus } from '../errors/index.js';

export interface DescribedError {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  headers?: Record<string, string>;
  /** Set for failures the client did not cause: logged with their stack, never sent. */
  cause?: unknown;
}

// Fastify's own errors (content-type parsing, body limits) carry a `code` and a `statusCode`;
// Nest wraps the 4xx ones in an HttpException whose `cause` is the Fastify error.
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  // A path parameter over the router's 100 characters: no id is that long, so it names nothing.
  FST_ERR_MAX_PARAM_LENGTH: 'NOT_FOUND',
};

// Codes whose Fastify message would echo the request back (up to the header limit): the
// catalogue's own message is sent instead.
const CATALOGUE_MESSAGE_ONLY = new Set(['FST_ERR_MAX_PARAM_LENGTH']);

interface ErrorWithStatus extends Error {
  statusCode: number;
  code?: string;
}

function hasClientStatus(error: unknown): error is ErrorWithStatus {
  const status = (error as ErrorWithStatus | null)?.statusCode;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}

function fromStatusError(error: ErrorWithStatus): DescribedError {
  const code: ErrorCode =
    (error.code ? FASTIFY_CODES[error.code] : undefined) ?? codeForStatus(error.statusCode);
  const message = error.code && CATALOGUE_MESSAGE_ONLY.has(error.code) ? ERROR_CATALOGUE[code].message : error.message;
  return { status: ERROR_CATALOGUE[code].status, code, message };
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return exception.message;
}

/** Maps anything thrown while serving a request to the catalogue code and status. */
export function describeError(exception: unknown): DescribedError {
  if (exception instanceof AppError) {
    return {
      status: exception.status,
      code: exception.code,
      message: exception.message,
      details: exception.details,
      headers: exception.headers,
    };
  }
  if (exception instanceof HttpException && hasClientStatus(exception.cause)) return fromStatusError(exception.cause);
  if (exception instanceof HttpException && exception.getStatus() < 500) {
    const status = exception.getStatus();
    const code = codeForStatus(status);
    return { status: ERROR_CATALOGUE[code].status, code, message: httpExceptionMessage(exception) };
  }
  if (hasClientStatus(exception)) return fromStatusError(exception);
  if (exception instanceof HttpException && exception.getStatus() === 503) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: ERROR_CATALOGUE.SERVICE_UNAVAILABLE.message };
  }
  if (isDependencyFailure(exception)) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      message: 'A dependency is unavailable, retry later',
      headers: { 'Retry-After': '1' },
      cause: exception,
    };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: ERROR_CATALOGUE.INTERNAL_ERROR.message, cause: exception };
}
