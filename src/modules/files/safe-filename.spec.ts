import { FALLBACK_FILENAME, MAX_FILENAME_BYTES, safeFilename, truncateUtf8 } from './safe-filename.js';

describe('safeFilename', () => {
  it.each([
    ['../../x', 'x'],
    ['..\\..\\windows\\system32\\x.dll', 'x.dll'],
    ['/etc/passwd', 'passwd'],
    ['C:\\Users\\me\\report.pdf', 'report.pdf'],
    ['a/b\\c/d.txt', 'd.txt'],
    ['report.pdf', 'report.pdf'],
  ])('keeps only the last path component of %j', (input, expected) => {
    expect(safeFilename(input)).toBe(expected);
  });

  it('drops C0, C1 and DEL control characters', () => {
    expect(safeFilename('a\u0000b\u0007c\r\n\td\u007fe\u0085f\u009f.txt')).toBe('abcdef.txt');
  });

  it('drops bidi overrides and isolates that disguise an extension', () => {
    expect(safeFilename('invoice\u202Egpj.exe')).toBe('invoicegpj.exe');
    expect(safeFilename('\u2066a\u2067b\u2068c\u2069\u200e\u200f\u061c.txt')).toBe('abc.txt');
  });

  it('keeps Unicode, normalized to NFC', () => {
    expect(safeFilename('Zoe\u0308 – 報告書 😀.pdf')).toBe('Zoë – 報告書 😀.pdf');
    expect(safeFilename('Zoe\u0308.pdf')).toBe('Zo\u00eb.pdf');
  });

  it.each([undefined, '', '   ', '../', 'a/..', '.', '\u0000\u202e', 'dir\\'])('falls back to "file" for %j', (input) => {
    expect(safeFilename(input)).toBe(FALLBACK_FILENAME);
  });

  it('bounds the name to 255 UTF-8 bytes without splitting a code point', () => {
    const name = safeFilename(`${'é'.repeat(200)}.txt`);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(MAX_FILENAME_BYTES);
    expect(name).toBe('é'.repeat(127));
    const emoji = safeFilename('😀'.repeat(100));
    expect(emoji).toBe('😀'.repeat(63));
  });

  it('replaces unpaired surrogates instead of storing them', () => {
    expect(safeFilename('a\ud800b.txt')).toBe('a\ufffdb.txt');
  });
});

describe('truncateUtf8', () => {
  it('leaves short strings alone and cuts long ones on a code point', () => {
    expect(truncateUtf8('abc', 3)).toBe('abc');
    expect(truncateUtf8('aé', 2)).toBe('a');
    expect(truncateUtf8('a😀', 4)).toBe('a');
  });
});
