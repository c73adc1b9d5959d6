import { AppError } from './app-error.js';
import { ERROR_CATALOGUE, type ErrorCode } from './error-codes.js';

describe('AppError', () => {
  it.each(Object.keys(ERROR_CATALOGUE) as ErrorCode[])('takes status and default message of %s from the catalogue', (code) => {
    const error = new AppError(code);
    expect(error.code).toBe(code);
    expect(error.status).toBe(ERROR_CATALOGUE[code].status);
    expect(error.message).toBe(ERROR_CATALOGUE[code].message);
  });

  it('keeps a custom message, details and headers', () => {
    const details = [{ field: 'nested.field1', messages: ['must be an integer'] }];
    const headers = { 'Retry-After': '5' };
    const error = new AppError('RATE_LIMITED', 'Slow down', details, headers);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'AppError', code: 'RATE_LIMITED', status: 429, message: 'Slow down', details, headers });
  });
});
