import { FORBIDDEN_KEYS, jsonObjectProblem } from './json-object-problem.js';

const LIMITS = { maxBytes: 1024, maxDepth: 3 };
/** The message of the problem found, if any (its path: see 'names the offending value by its path'). */
const problem = (value: unknown, limits = LIMITS) => jsonObjectProblem(value, limits, 'attributes')?.message;
const fieldOf = (value: unknown, limits = LIMITS) => jsonObjectProblem(value, limits, 'attributes')?.field;

function nestedArrays(levels: number): unknown {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('jsonObjectProblem', () => {
  it.each([
    ['an empty object', {}],
    ['scalars of every JSON type', { s: 'x', n: -1.5e-7, i: 0, t: true, f: false, z: null }],
    ['arrays of objects', { list: [{ a: 1 }, { b: 2 }] }],
    ['unicode keys and values', { 'clé 😀': 'valeur 中文' }],
    ['keys that only contain forbidden words', { __proto: 1, constructors: 2, myprototype: 3 }],
  ])('accepts %s', (_name, value) => {
    expect(problem(value)).toBeUndefined();
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an array', []],
    ['a string', '{}'],
    ['a number', 1],
  ])('refuses %s as not a JSON object', (_name, value) => {
    expect(problem(value)).toBe('attributes must be a JSON object');
  });

  describe('size', () => {
    it('counts UTF-8 bytes of the serialized object, not characters', () => {
      // {"a":"ééééééé"} is 15 characters but 22 bytes.
      const accented = { a: 'é'.repeat(7) };
      const ascii = { a: 'e'.repeat(7) };
      expect(problem(accented, { maxBytes: 20, maxDepth: 3 })).toBe('attributes must not exceed 20 bytes when serialized');
      expect(problem(ascii, { maxBytes: 20, maxDepth: 3 })).toBeUndefined();
    });

    it('allows exactly maxBytes', () => {
      const value = { a: '😀' }; // {"a":"😀"} = 8 + 4 bytes
      expect(problem(value, { maxBytes: 12, maxDepth: 3 })).toBeUndefined();
      expect(problem(value, { maxBytes: 11, maxDepth: 3 })).toBeDefined();
    });
  });

  describe('depth', () => {
    it('counts the object itself as level 1, arrays as levels', () => {
      expect(problem({ a: { b: {} } })).toBeUndefined();
      expect(problem({ a: [[]] })).toBeUndefined();
      expect(problem({ a: { b: { c: {} } } })).toBe('attributes.a.b.c is nested 4 levels deep: attributes must not nest deeper than 3 levels');
      expect(problem({ a: [[[]]] })).toBe('attributes.a.0.0 is nested 4 levels deep: attributes must not nest deeper than 3 levels');
    });

    it('does not count scalars as a level', () => {
      expect(problem({ a: { b: [1, 'x', null] } })).toBeUndefined();
    });

    it('refuses 100k levels without overflowing the stack', () => {
      expect(() => problem({ a: nestedArrays(100_000) })).not.toThrow();
      expect(problem({ a: nestedArrays(100_000) })).toMatch(/nest deeper/);
    });
  });

  describe('forbidden keys', () => {
    it('lists __proto__, constructor and prototype', () => {
      expect([...FORBIDDEN_KEYS].sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    });

    it.each([
      ['__proto__ at the top', '{"__proto__":{"polluted":true}}', 'attributes must not contain the key "__proto__"'],
      ['constructor at the top', '{"constructor":1}', 'attributes must not contain the key "constructor"'],
      ['prototype nested', '{"a":{"prototype":1}}', 'attributes.a must not contain the key "prototype"'],
      ['__proto__ inside an array', '{"a":[1,{"__proto__":1}]}', 'attributes.a.1 must not contain the key "__proto__"'],
    ])('refuses %s', (_name, json, message) => {
      // JSON.parse makes `__proto__` an own property, as the body parser's output would.
      expect(problem(JSON.parse(json), { maxBytes: 1024, maxDepth: 8 })).toBe(message);
    });
  });

  describe('text', () => {
    it.each([
      ['NUL in a value', { a: 'x\u0000' }, 'attributes.a contains NUL characters or unpaired surrogates'],
      ['a lone surrogate in a value', { a: { b: '\ud800' } }, 'attributes.a.b contains NUL characters or unpaired surrogates'],
      ['NUL in an array item', { a: ['ok', '\u0000'] }, 'attributes.a.1 contains NUL characters or unpaired surrogates'],
      ['NUL in a key', { 'a\u0000': 1 }, 'attributes has a key with NUL characters or unpaired surrogates'],
      ['a lone surrogate in a nested key', { a: { '\udc00': 1 } }, 'attributes.a has a key with NUL characters or unpaired surrogates'],
    ])('refuses %s', (_name, value, message) => {
      expect(problem(value)).toBe(message);
    });
  });

  describe('numbers', () => {
    it.each([
      ['Infinity', { a: Infinity }, 'attributes.a'],
      ['-Infinity in an array', { a: [1, -Infinity] }, 'attributes.a.1'],
      ['NaN nested', { a: { b: NaN } }, 'attributes.a.b'],
      ['1e400 as JSON.parse reads it', JSON.parse('{"big":1e400}'), 'attributes.big'],
    ])('refuses %s', (_name, value, path) => {
      expect(problem(value)).toBe(`${path} is not a finite number`);
    });

    it.each([
      ['an integer JSON.parse rounded', JSON.parse('{"n":12345678901234567890}'), 'attributes.n'],
      ['2^53 in an array', { a: [1, 2 ** 53] }, 'attributes.a.1'],
      ['the largest double', { a: -Number.MAX_VALUE }, 'attributes.a'],
    ])('refuses %s, beyond the safe integer range', (_name, value, path) => {
      expect(problem(value)).toBe(`${path} is beyond ±(2^53-1) and would lose precision: send it as a string`);
    });

    it('accepts safe integers at the bounds and tiny doubles', () => {
      expect(problem({ a: Number.MAX_SAFE_INTEGER, b: -Number.MAX_SAFE_INTEGER, c: Number.MIN_VALUE, d: 0.1 })).toBeUndefined();
    });
  });

  it('names the property it was given', () => {
    expect(jsonObjectProblem([], LIMITS, 'meta')).toEqual({ field: 'meta', message: 'meta must be a JSON object' });
  });

  it.each([
    ['a value beyond the safe range', JSON.parse('{"v":[1E22]}'), 'attributes.v.0'],
    ['a NUL in a value', { a: { b: 'x\u0000' } }, 'attributes.a.b'],
    ['a lone surrogate in an array item', { a: ['ok', '\udc00'] }, 'attributes.a.1'],
    ['a container too deep', { a: { b: { c: {} } } }, 'attributes.a.b.c'],
    ['a forbidden key', JSON.parse('{"a":{"prototype":1}}'), 'attributes.a.prototype'],
    ['a key with NUL (named by the object holding it)', { a: { 'k\u0000': 1 } }, 'attributes.a'],
    ['the whole object too large', { a: 'x'.repeat(1024) }, 'attributes'],
  ])('names the offending value by its path: %s', (_name, value, field) => {
    expect(fieldOf(value)).toBe(field);
  });
});
