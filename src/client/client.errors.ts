import type { ErrorBody } from './api.types.js';

/** What every error the client throws carries besides its message. */
interface ErrorContext {
  /** The request id the server answered with (envelope or `X-Request-Id`), when known. */
  requestId?: string;
  /** How many attempts were made before this error was thrown. */
  attempts?: number;
}

/** Fields of an {@link ApiError}. */
export interface ApiErrorInit extends ErrorContext {
  status: number;
  code: string;
  message: string;
  details?: unknown;
  /** `Retry-After` of the response, in milliseconds. */
  retryAfterMs?: number;
}

/**
 * The server answered with an error status. `code` is the envelope's stable `error.code`
 * (see the README's catalogue); for a body that is no envelope (a gateway's page, say) it is
 * derived from the status. Subclasses group the codes a caller usually handles differently.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  attempts: number;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }
}

/** 400 `VALIDATION_FAILED` or `MALFORMED_JSON`: fix the request; `details` lists the fields. */
export class ValidationError extends ApiError {}
/** 401 `UNAUTHORIZED`: missing, expired or invalid token. */
export class UnauthorizedError extends ApiError {}
/** 403 `FORBIDDEN`: the token lacks the route's scope. */
export class ForbiddenError extends ApiError {}
/** 404 `NOT_FOUND`: unknown route or id, or another owner's. */
export class NotFoundError extends ApiError {}
/** 408 `REQUEST_TIMEOUT`: the server did not receive the request in time. */
export class RequestTimeoutError extends ApiError {}
/** 409 `CONFLICT`: a request with the same `Idempotency-Key` is still running. */
export class ConflictError extends ApiError {}
/** 412 `PRECONDITION_FAILED`: `If-Match` no longer matches the stored version. */
export class PreconditionFailedError extends ApiError {}
/** 413 `PAYLOAD_TOO_LARGE`: body or uploaded file over the server's limit. */
export class PayloadTooLargeError extends ApiError {}
/** 415 `UNSUPPORTED_MEDIA_TYPE`: wrong body type, or a file type that is not allowed. */
export class UnsupportedMediaTypeError extends ApiError {}
/** 416 `RANGE_NOT_SATISFIABLE`: a download range outside the file. */
export class RangeNotSatisfiableError extends ApiError {}
/** 422 `UNPROCESSABLE`: an `Idempotency-Key` reused with a different request. */
export class UnprocessableError extends ApiError {}
/** 429 `RATE_LIMITED`: `retryAfterMs` says when to come back. */
export class RateLimitedError extends ApiError {}
/** 431 `HEADERS_TOO_LARGE`. */
export class HeadersTooLargeError extends ApiError {}
/** 500 `INTERNAL_ERROR`: the server failed; quote `requestId` when reporting it. */
export class InternalServerError extends ApiError {}
/** 502, 503 `SERVICE_UNAVAILABLE`, 504: the service or a dependency is down for now. */
export class ServiceUnavailableError extends ApiError {}

type ApiErrorClass = new (init: ApiErrorInit) => ApiError;

const CLASS_BY_CODE: Record<string, ApiErrorClass> = {
  VALIDATION_FAILED: ValidationError,
  MALFORMED_JSON: ValidationError,
  UNAUTHORIZED: UnauthorizedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  REQUEST_TIMEOUT: RequestTimeoutError,
  CONFLICT: ConflictError,
  PRECONDITION_FAILED: PreconditionFailedError,
  PAYLOAD_TOO_LARGE: PayloadTooLargeError,
  UNSUPPORTED_MEDIA_TYPE: UnsupportedMediaTypeError,
  RANGE_NOT_SATISFIABLE: RangeNotSatisfiableError,
  UNPROCESSABLE: UnprocessableError,
  RATE_LIMITED: RateLimitedError,
  HEADERS_TOO_LARGE: HeadersTooLargeError,
  INTERNAL_ERROR: InternalServerError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
  BAD_GATEWAY: ServiceUnavailableError,
  GATEWAY_TIMEOUT: ServiceUnavailableError,
};

/** The code a response without an error envelope gets, from its status. */
const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'REQUEST_TIMEOUT',
  409: 'CONFLICT',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  416: 'RANGE_NOT_SATISFIABLE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  431: 'HEADERS_TOO_LARGE',
  500: 'INTERNAL_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The error code for a status when the body does not name one (`HTTP_<status>` if unknown). */
export function codeForStatus(status: number): string {
  return CODE_BY_STATUS[status] ?? `HTTP_${status}`;
}

/** An {@link ApiError} of the class its code (or, failing that, its status) belongs to. */
export function createApiError(init: ApiErrorInit): ApiError {
  const ErrorClass = CLASS_BY_CODE[init.code] ?? CLASS_BY_CODE[codeForStatus(init.status)] ?? ApiError;
  return new ErrorClass(init);
}

/** The `error` member of an error envelope, or undefined when `text` is not one. */
export function parseErrorEnvelope(text: string): { error: ErrorBody; requestId?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed) || !isObject(parsed.error) || typeof parsed.error.code !== 'string') return undefined;
  const { code, message, details } = parsed.error;
  return {
    error: { code, message: typeof message === 'string' ? message : code, details },
    requestId: typeof parsed.requestId === 'string' ? parsed.requestId : undefined,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A transport failure: no complete HTTP response was received. */
export class TransportError extends Error {
  readonly requestId?: string;
  attempts: number;

  constructor(message: string, options: ErrorContext & { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.requestId = options.requestId;
    this.attempts = options.attempts ?? 1;
  }
}

/** Which wait ran out: opening the connection, the response headers, or the gap between body chunks. */
export type TimeoutPhase = 'connect' | 'headers' | 'body';

/** `connectTimeoutMs` or `timeoutMs` ran out. */
export class TimeoutError extends TransportError {
  constructor(
    message: string,
    readonly phase: TimeoutPhase,
    options: ErrorContext & { cause?: unknown } = {},
  ) {
    super(message, options);
  }
}

/** The connection was refused, reset or closed before the response was complete. */
export class ConnectionError extends TransportError {}
