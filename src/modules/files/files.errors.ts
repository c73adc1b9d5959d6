import { AppError } from '../../core/errors/index.js';
import { unsatisfiedRange } from './byte-range.js';

export const fileNotFound = () => new AppError('NOT_FOUND', 'File not found');

export const invalidFileCursor = () =>
  new AppError('VALIDATION_FAILED', 'Request validation failed', [
    { field: 'cursor', messages: ['cursor must be a cursor returned by a previous page'] },
  ]);

export const notMultipart = () => new AppError('UNSUPPORTED_MEDIA_TYPE', 'Uploads must be multipart/form-data');

export const typeNotAllowed = (type: string) =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', `Files of type ${JSON.stringify(type)} are not accepted`);

export const contentDoesNotMatch = (reason: string) =>
  new AppError('UNSUPPORTED_MEDIA_TYPE', `The file does not match its declared type: ${reason}`);

export const fileTooLarge = (maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${maxBytes} bytes`);

export const tooManyParts = () =>
  new AppError('PAYLOAD_TOO_LARGE', 'Too many multipart parts: one file and at most one description');

export const invalidUpload = (field: string, message: string) =>
  new AppError('VALIDATION_FAILED', 'Request validation failed', [{ field, messages: [message] }]);

export const malformedMultipart = (reason: string) => new AppError('VALIDATION_FAILED', `Malformed multipart body: ${reason}`);

export const rangeNotSatisfiable = (size: number) =>
  new AppError('RANGE_NOT_SATISFIABLE', `The range is outside the file of ${size} bytes`, undefined, {
    'Content-Range': unsatisfiedRange(size),
  });
