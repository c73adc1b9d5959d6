import { asciiFallback, attachmentDisposition, encodeExtValue } from './content-disposition.js';

describe('attachmentDisposition', () => {
  it('names an ASCII file in both parameters', () => {
    expect(attachmentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
  });

  it('percent-encodes the UTF-8 bytes in filename* and substitutes the fallback', () => {
    expect(attachmentDisposition('Zoë 報告.pdf')).toBe(
      `attachment; filename="Zo_ __.pdf"; filename*=UTF-8''Zo%C3%AB%20%E5%A0%B1%E5%91%8A.pdf`,
    );
  });

  it('never lets a quote, backslash or percent sign break or alter the fallback', () => {
    expect(asciiFallback('a"b\\c%41.txt')).toBe('a_b_c_41.txt');
    expect(encodeExtValue(`a"b\\c%'*;.txt`)).toBe(`UTF-8''a%22b%5Cc%25%27%2A%3B.txt`);
  });

  it('round-trips any name through decodeURIComponent', () => {
    const name = `weird ;,="'\\ 😀 名前.txt`;
    const encoded = encodeExtValue(name).slice("UTF-8''".length);
    expect(decodeURIComponent(encoded)).toBe(name);
    expect(encoded).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
  });
});
