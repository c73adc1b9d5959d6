import { AppError } from '../../core/errors/index.js';

export const recordNotFound = () => new AppError('NOT_FOUND', 'Record not found');

export const staleRecord = (currentEtag: string) =>
  new AppError('PRECONDITION_FAILED', `If-Match does not match the current version ${currentEtag}`);

export const invalidCursor = () =>
  new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field: 'cursor', messages: ['cursor must be a cursor returned by a previous page'] },
  ]);

export const invalidSince = () =>
  new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field: 'since', messages: ['since must be a date-time with Z or an offset, or a date'] },
  ]);
