import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { undeclaredKeys } from './undeclared-keys.js';

class Item {
  @IsInt()
  n!: number;
}

class Base {
  @IsString()
  name!: string;
}

class Dto extends Base {
  @IsOptional()
  @ValidateNested()
  @Type(() => Item)
  item?: Item | null;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => Item)
  items?: Item[];

  @IsOptional()
  @IsObject()
  free?: Record<string, unknown>;
}

/** What the pipe compares: the raw input and what class-transformer made of it. */
function check(raw: Record<string, unknown>) {
  return undeclaredKeys(raw, plainToInstance(Dto, raw));
}

describe('undeclaredKeys', () => {
  it('finds nothing when every key is declared, inherited ones included', () => {
    expect(check({ name: 'a', item: { n: 1 }, items: [{ n: 2 }], free: { anything: { goes: 1 } } })).toEqual([]);
  });

  it('reports an undeclared key', () => {
    expect(check({ name: 'a', extra: 1 })).toEqual([{ field: 'extra', messages: ['property extra should not exist'] }]);
  });

  it.each(['toString', 'hasOwnProperty', 'valueOf', 'constructor'])('reports %s, which class-transformer drops silently', (key) => {
    const raw = JSON.parse(`{"name":"a","${key}":1}`) as Record<string, unknown>;
    expect(check(raw)).toEqual([{ field: key, messages: [`property ${key} should not exist`] }]);
  });

  it('reports undeclared keys of nested DTOs by path', () => {
    expect(check({ name: 'a', item: { n: 1, toString: 2 } })).toEqual([{ field: 'item.toString', messages: ['property toString should not exist'] }]);
  });

  it('reports undeclared keys of DTOs in arrays by index', () => {
    expect(check({ name: 'a', items: [{ n: 1 }, { n: 2, extra: 3 }] }).map((d) => d.field)).toEqual(['items.1.extra']);
  });

  it('does not look inside free-form objects', () => {
    expect(check({ name: 'a', free: { toString: 1, undeclared: 2 } })).toEqual([]);
  });

  it('ignores a null nested value', () => {
    expect(check({ name: 'a', item: null })).toEqual([]);
  });

  it.each([
    ['a scalar input', 'x', 'x'],
    ['an array input', [1], [1]],
    ['a plain result', { a: 1 }, { a: 1 }],
  ])('has nothing to say about %s', (_name, raw, result) => {
    expect(undeclaredKeys(raw, result)).toEqual([]);
  });

  it('has nothing to say when the input was passed through unvalidated with a null prototype', () => {
    // Fastify's query parser builds objects like this; a `@Query()` without a DTO returns it as is.
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { a: '1' });
    expect(() => undeclaredKeys(query, query)).not.toThrow();
    expect(undeclaredKeys(query, query)).toEqual([]);
  });
});
