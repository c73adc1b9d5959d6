import type { ArgumentMetadata } from '@nestjs/common';
import { AppError } from '../../../core/errors/index.js';
import { AppValidationPipe } from '../../../core/pipes/app-validation.pipe.js';
import { ExportRecordsQuery } from './export-records.query.js';

const pipe = new AppValidationPipe();
const asQuery: ArgumentMetadata = { type: 'query', metatype: ExportRecordsQuery };

async function rejectedFields(value: unknown): Promise<string[]> {
  const error = await pipe.transform(value, asQuery).then(
    () => {
      throw new Error('expected the query to be rejected');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe('VALIDATION_FAILED');
  return ((error as AppError).details ?? []).map((detail) => detail.field);
}

describe('ExportRecordsQuery', () => {
  it('accepts an empty query', async () => {
    await expect(pipe.transform({}, asQuery)).resolves.toEqual({});
  });

  it('accepts a key and a since, unchanged', async () => {
    const query = { key: 'test_value', since: '2026-11-25T10:47:06+02:00' };
    await expect(pipe.transform(query, asQuery)).resolves.toEqual(query);
  });

  it.each(['', 'k'.repeat(257), 'a\u0000'])('rejects the key %p as the list does', async (key) => {
    expect(await rejectedFields({ key })).toEqual(['key']);
  });

  it.each(['', 'yesterday', '2026-11-25T10:47:06', '2026-02-30'])('rejects the since %p', async (since) => {
    expect(await rejectedFields({ since })).toEqual(['since']);
  });

  it('rejects a repeated parameter', async () => {
    expect(await rejectedFields({ since: ['2026-11-25', '2026-11-26'] })).toEqual(['since']);
    expect(await rejectedFields({ key: ['a', 'b'] })).toEqual(['key']);
  });

  it.each(['limit', 'cursor', 'sort'])('rejects the list-only or unknown parameter %p', async (name) => {
    expect(await rejectedFields({ [name]: '1' })).toEqual([name]);
  });
});
