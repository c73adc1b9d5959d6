import { rejectedFieldsOf, validate, validationRejection } from '../../../../test/helpers/validation-pipe.js';
import { ExportRecordsQuery } from './export-records.query.js';

async function rejectedFields(value: unknown): Promise<string[]> {
  const error = await validationRejection(ExportRecordsQuery, 'query', value);
  expect(error.code).toBe('VALIDATION_FAILED');
  return rejectedFieldsOf(error);
}

describe('ExportRecordsQuery', () => {
  it('accepts an empty query', async () => {
    await expect(validate(ExportRecordsQuery, 'query', {})).resolves.toEqual({});
  });

  it('accepts a key and a since, unchanged', async () => {
    const query = { key: 'test_value', since: '2026-11-25T10:47:06+02:00' };
    await expect(validate(ExportRecordsQuery, 'query', query)).resolves.toEqual(query);
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
