import { isSafeText } from './safe-text.js';

describe('isSafeText', () => {
  it.each([
    ['empty text', ''],
    ['ASCII', 'test_value'],
    ['accents', 'Grüße, café'],
    ['CJK', '中文'],
    ['an emoji (a surrogate pair)', '😀'],
    ['a ZWJ sequence', '👩‍💻'],
    ['control characters other than NUL', '\t\n\u0001\u007f'],
    ['U+FFFF', '\uffff'],
  ])('accepts %s', (_name, text) => {
    expect(isSafeText(text)).toBe(true);
  });

  it.each([
    ['NUL', '\u0000'],
    ['NUL inside text', 'a\u0000b'],
    ['a lone high surrogate', '\ud83d'],
    ['a lone high surrogate before text', '\ud83dx'],
    ['a lone low surrogate', 'x\ude00'],
    ['reversed surrogates', '\ude00\ud83d'],
  ])('rejects %s', (_name, text) => {
    expect(isSafeText(text)).toBe(false);
  });
});
