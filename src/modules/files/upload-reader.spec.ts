import type { MultipartValue } from '@fastify/multipart';
import { AppError } from '../../core/errors/index.js';
import { declaredType, MAX_DESCRIPTION_LENGTH, readDescription, uploadError } from './upload-reader.js';

const field = (fieldname: string, value: unknown, valueTruncated = false) =>
  ({ type: 'field', fieldname, value, valueTruncated, fieldnameTruncated: false, mimetype: 'text/plain', encoding: '7bit', fields: {} }) as MultipartValue;

const rules = { maxBytes: 10, allowedTypes: ['text/plain'] };

describe('declaredType', () => {
  it('lower-cases and drops parameters', () => {
    expect(declaredType('Image/PNG; charset=binary')).toBe('image/png');
    expect(declaredType(undefined)).toBe('');
  });
});

describe('readDescription', () => {
  it('accepts text up to 1024 characters (code points), Unicode included', () => {
    expect(readDescription(field('description', 'Quarterly report'), undefined)).toBe('Quarterly report');
    const long = '😀'.repeat(MAX_DESCRIPTION_LENGTH);
    expect(readDescription(field('description', long), undefined)).toBe(long);
  });

  it.each([
    ['another field', field('title', 'x'), undefined],
    ['a second description', field('description', 'b'), 'a'],
    ['a JSON value', field('description', { a: 1 }), undefined],
    ['1025 characters', field('description', 'x'.repeat(MAX_DESCRIPTION_LENGTH + 1)), undefined],
    ['a value cut by the parser', field('description', 'x', true), undefined],
    ['a NUL', field('description', 'a\u0000b'), undefined],
    ['a lone surrogate', field('description', 'a\ud800'), undefined],
  ])('refuses %s with VALIDATION_FAILED', (_name, part, previous) => {
    expect(() => readDescription(part, previous)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });
});

describe('uploadError', () => {
  const withCode = (code: string, extra: object = {}) => Object.assign(new Error(code), { code, ...extra });

  it.each([
    ['FST_REQ_FILE_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
    ['FST_PARTS_LIMIT', 'PAYLOAD_TOO_LARGE'],
    ['FST_FILES_LIMIT', 'PAYLOAD_TOO_LARGE'],
    ['FST_FIELDS_LIMIT', 'PAYLOAD_TOO_LARGE'],
    ['FST_PROTO_VIOLATION', 'VALIDATION_FAILED'],
    ['FST_INVALID_JSON_FIELD_ERROR', 'VALIDATION_FAILED'],
    ['FST_MP_PREMATURE_CLOSE', 'VALIDATION_FAILED'],
  ])('maps %s to %s', (code, expected) => {
    expect(uploadError(withCode(code), rules)).toMatchObject({ code: expected });
  });

  it('maps parser errors without a code to a 400 naming the problem', () => {
    expect(uploadError(new Error('Unexpected end of form'), rules)).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: 'Malformed multipart body: Unexpected end of form',
    });
  });

  it('keeps AppErrors and disk failures as they are', () => {
    const appError = new AppError('UNSUPPORTED_MEDIA_TYPE');
    const diskFull = withCode('ENOSPC', { syscall: 'write' });
    expect(uploadError(appError, rules)).toBe(appError);
    expect(uploadError(diskFull, rules)).toBe(diskFull);
  });
});
