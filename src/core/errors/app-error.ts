import { ERROR_CATALOGUE, type ErrorCode } from './error-codes.js';

/** One entry of `error.details`: the failing field by path (`nested.field1`) and why. */
export interface ErrorDetail {
  field: string;
  messages: string[];
}

/**
 * The error every layer throws. The exception filter turns it into the error envelope;
 * the status always comes from the catalogue, so a code never travels with a wrong status.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOGUE[code].message,
    readonly details?: ErrorDetail[],
    /** Extra response headers, e.g. `WWW-Authenticate` on 401 or `Retry-After` on 429/503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_CATALOGUE[code].status;
  }
}
