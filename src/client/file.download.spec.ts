import { dispositionFilename, rangeHeader } from './file.download.js';

describe('rangeHeader', () => {
  it('writes closed, open and suffix ranges', () => {
    expect(rangeHeader({ start: 0, end: 99 })).toBe('bytes=0-99');
    expect(rangeHeader({ start: 100 })).toBe('bytes=100-');
    expect(rangeHeader({ suffix: 10 })).toBe('bytes=-10');
  });

  it('refuses negative, fractional and reversed positions', () => {
    expect(() => rangeHeader({ start: -1 })).toThrow(RangeError);
    expect(() => rangeHeader({ start: 1.5 })).toThrow(RangeError);
    expect(() => rangeHeader({ start: 5, end: 4 })).toThrow(RangeError);
  });
});

describe('dispositionFilename', () => {
  it('prefers the UTF-8 filename* over the ASCII fallback', () => {
    expect(dispositionFilename(`attachment; filename="r_sum_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf`)).toBe('résumé.pdf');
  });

  it('reads a quoted or bare filename', () => {
    expect(dispositionFilename('attachment; filename="a \\"b\\".txt"')).toBe('a "b".txt');
    expect(dispositionFilename('attachment; filename=plain.txt')).toBe('plain.txt');
    expect(dispositionFilename(undefined)).toBeUndefined();
  });
});
