export { AppError, type ErrorDetail } from './app-error.js';
export { ERROR_CATALOGUE, type ErrorCode, codeForStatus } from './error-codes.js';
