import { nestingDepthExceeds } from './nesting-depth.js';

function nestedObjects(levels: number): unknown {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

function nestedArrays(levels: number): unknown {
  let value: unknown[] = [];
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('nestingDepthExceeds', () => {
  it.each([
    ['a number', 1],
    ['a string', 'text'],
    ['null', null],
    ['undefined', undefined],
  ])('counts %s as level 0', (_name, value) => {
    expect(nestingDepthExceeds(value, 0)).toBe(false);
  });

  it('counts {} and [] as level 1', () => {
    expect(nestingDepthExceeds({}, 0)).toBe(true);
    expect(nestingDepthExceeds([], 0)).toBe(true);
    expect(nestingDepthExceeds({}, 1)).toBe(false);
    expect(nestingDepthExceeds([], 1)).toBe(false);
  });

  it.each([
    ['objects', nestedObjects],
    ['arrays', nestedArrays],
  ])('draws the line exactly at the limit for nested %s', (_name, build) => {
    expect(nestingDepthExceeds(build(5), 5)).toBe(false);
    expect(nestingDepthExceeds(build(6), 5)).toBe(true);
  });

  it('counts mixed objects and arrays', () => {
    expect(nestingDepthExceeds({ a: [{ b: [1] }] }, 4)).toBe(false);
    expect(nestingDepthExceeds({ a: [{ b: [[1]] }] }, 4)).toBe(true);
  });

  it('finds the deep branch among shallow ones', () => {
    const value = { a: 1, b: { c: 2 }, d: [0, 1, { e: { f: {} } }], g: 'x' };
    // root 1, d 2, d[2] 3, e 4, f 5
    expect(nestingDepthExceeds(value, 5)).toBe(false);
    expect(nestingDepthExceeds(value, 4)).toBe(true);
  });

  it('does not count wide objects as deep', () => {
    const wide = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, { v: i }]));
    expect(nestingDepthExceeds(wide, 2)).toBe(false);
  });

  it('measures 100k levels without overflowing the stack', () => {
    expect(() => nestingDepthExceeds(nestedArrays(100_000), 32)).not.toThrow();
    expect(nestingDepthExceeds(nestedArrays(100_000), 32)).toBe(true);
    expect(nestingDepthExceeds(nestedObjects(100_000), 99_999)).toBe(true);
    expect(nestingDepthExceeds(nestedObjects(100_000), 100_000)).toBe(false);
  });
});
