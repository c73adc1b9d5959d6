import { forbiddenKeyPath } from './forbidden-key-path.js';

function deepObject(levels: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('forbiddenKeyPath', () => {
  it.each([
    ['a scalar', 1],
    ['null', null],
    ['a clean object', { key: 'k', nested: { field1: 1 }, tags: ['constructor', '__proto__'] }],
    ['look-alike keys', { constructors: 1, _proto_: 2, Prototype: 3, __proto: 4 }],
  ])('finds nothing in %s', (_name, value) => {
    expect(forbiddenKeyPath(value)).toBeUndefined();
  });

  it.each([
    ['__proto__ at the top', '{"__proto__":{"isAdmin":true}}', '__proto__'],
    ['constructor at the top', '{"key":"k","constructor":{"name":"x"}}', 'constructor'],
    ['prototype nested', '{"a":{"b":{"prototype":1}}}', 'a.b.prototype'],
    ['a key inside an array item', '{"list":[1,{"constructor":1}]}', 'list.1.constructor'],
    ['a key in a top-level array', '[{"ok":1},{"__proto__":null}]', '1.__proto__'],
  ])('finds %s', (_name, json, path) => {
    expect(forbiddenKeyPath(JSON.parse(json))).toBe(path);
  });

  it('finds a key 100k levels down without overflowing the stack', () => {
    const value = deepObject(100_000, JSON.parse('{"__proto__":1}'));
    expect(() => forbiddenKeyPath(value)).not.toThrow();
    expect(forbiddenKeyPath(value)).toMatch(/^(a\.){100000}__proto__$/);
  });

  it('checks objects without a prototype, as query parsers build them', () => {
    const query = Object.assign(Object.create(null) as Record<string, unknown>, { constructor: 'x' });
    expect(forbiddenKeyPath(query)).toBe('constructor');
  });
});
