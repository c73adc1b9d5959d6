import { codePointLength, hasTextLength, textLengthMessage } from './text-length.js';

describe('codePointLength', () => {
  it.each([
    ['empty', '', 0],
    ['ASCII', 'abc', 3],
    ['an emoji (a surrogate pair)', '😀', 1],
    ['variation selectors, each its own code point', '\u2764\ufe0f\u2764\ufe0e', 4],
    ['a letter with a combining accent', 'e\u0301', 2],
    ['a lone high surrogate', '\ud800', 1],
    ['a lone low surrogate then a pair', '\udc00😀', 2],
    ['reversed surrogates', '\udc00\ud800', 2],
    ['U+10FFFF', '\u{10ffff}', 1],
  ])('counts %s', (_name, text, length) => {
    expect(codePointLength(text)).toBe(length);
    // What for…of (and PostgreSQL's char_length, for text it can store) counts.
    expect(codePointLength(text)).toBe([...text].length);
  });
});

describe('hasTextLength', () => {
  it('accepts both bounds and refuses one past them, in code points', () => {
    expect(hasTextLength('😀'.repeat(4), 1, 4)).toBe(true);
    expect(hasTextLength('😀'.repeat(5), 1, 4)).toBe(false);
    expect(hasTextLength('a\ufe0f'.repeat(2), 1, 4)).toBe(true);
    expect(hasTextLength('a\ufe0f'.repeat(2) + 'a', 1, 4)).toBe(false);
    expect(hasTextLength('', 1, 4)).toBe(false);
    expect(hasTextLength('', 0, 4)).toBe(true);
  });

  it('refuses text of more than twice max code units without counting it', () => {
    expect(hasTextLength('x'.repeat(1_000_000), 1, 256)).toBe(false);
  });
});

describe('textLengthMessage', () => {
  it('gives the range, or only the maximum when there is no minimum', () => {
    expect(textLengthMessage('key', 1, 256)).toBe('key must be 1 to 256 characters long');
    expect(textLengthMessage('field2', 0, 1024)).toBe('field2 must be at most 1024 characters long');
  });
});
