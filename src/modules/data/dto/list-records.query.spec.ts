import { rejectedFieldsOf, validate, validationRejection } from '../../../../test/helpers/validation-pipe.js';
import { ListRecordsQuery } from './list-records.query.js';

async function rejectedFields(value: unknown): Promise<string[]> {
  const error = await validationRejection(ListRecordsQuery, 'query', value);
  return rejectedFieldsOf(error);
}

describe('ListRecordsQuery', () => {
  it('accepts an empty query', async () => {
    await expect(validate(ListRecordsQuery, 'query', {})).resolves.toEqual({});
  });

  it.each([
    ['1', 1],
    ['25', 25],
    ['100', 100],
    ['0050', 50],
  ])('turns the limit %p into %i', async (limit, expected) => {
    await expect(validate(ListRecordsQuery, 'query', { limit })).resolves.toMatchObject({ limit: expected });
  });

  it.each(['1e2', ' 5', '5 ', '0', '101', '-1', '2.5', '0x10', '', '10000'])('rejects the limit %p', async (limit) => {
    expect(await rejectedFields({ limit })).toEqual(['limit']);
  });

  it('rejects a repeated limit', async () => {
    expect(await rejectedFields({ limit: ['1', '2'] })).toEqual(['limit']);
  });

  it.each(['abc', 'cjE6NQ', 'A-_z09'])('accepts the cursor %p', async (cursor) => {
    await expect(validate(ListRecordsQuery, 'query', { cursor })).resolves.toMatchObject({ cursor });
  });

  it.each(['', 'a b', 'abc=', 'a/b', 'a'.repeat(65)])('rejects the cursor %p', async (cursor) => {
    expect(await rejectedFields({ cursor })).toEqual(['cursor']);
  });

  it.each(['', 'k'.repeat(257), 'a\u0000'])('rejects the key %p', async (key) => {
    expect(await rejectedFields({ key })).toEqual(['key']);
  });

  it('rejects unknown parameters', async () => {
    expect(await rejectedFields({ sort: 'asc' })).toEqual(['sort']);
  });
});
