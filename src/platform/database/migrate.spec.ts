import { anotherSchemaVanished } from './migrate.js';

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('anotherSchemaVanished', () => {
  it('is true for 3F000 naming another schema: dropped while the catalog was read, worth another attempt', () => {
    expect(anotherSchemaVanished(pgError('3F000', 'schema "t_other" does not exist'), 't_ours')).toBe(true);
  });

  it('is false for our own schema, another error code, or no code at all', () => {
    expect(anotherSchemaVanished(pgError('3F000', 'schema "t_ours" does not exist'), 't_ours')).toBe(false);
    expect(anotherSchemaVanished(pgError('42P01', 'relation "x" does not exist'), 't_ours')).toBe(false);
    expect(anotherSchemaVanished(new Error('schema "t_other" does not exist'), 't_ours')).toBe(false);
  });
});
