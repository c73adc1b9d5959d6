import { contentRange, parseByteRange, unsatisfiedRange } from './byte-range.js';

describe('parseByteRange', () => {
  const size = 100;

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=10-', 10, 99],
    ['bytes=-10', 90, 99],
    ['bytes=-1000', 0, 99],
    ['bytes=90-1000', 90, 99],
    ['bytes=99-99', 99, 99],
    ['BYTES = 5-6', 5, 6],
    ['bytes=5-6,', 5, 6],
    ['bytes=0-99999999999999999999999', 0, 99],
  ])('%s selects bytes %i..%i', (header, start, end) => {
    expect(parseByteRange(header, size)).toEqual({ kind: 'partial', start, end });
  });

  it.each([
    ['no header', undefined],
    ['another unit', 'items=0-9'],
    ['no unit', '0-9'],
    ['several ranges', 'bytes=0-9,20-29'],
    ['an empty range', 'bytes=-'],
    ['nothing after =', 'bytes='],
    ['last before first', 'bytes=9-0'],
    ['letters', 'bytes=a-b'],
    ['a negative start', 'bytes=--5'],
    ['a fraction', 'bytes=1.5-2'],
  ])('%s: the whole file', (_name, header) => {
    expect(parseByteRange(header, size)).toEqual({ kind: 'whole' });
  });

  it.each([
    ['a start at the size', 'bytes=100-', 100],
    ['a start past the end', 'bytes=500-600', 100],
    ['a zero suffix', 'bytes=-0', 100],
    ['any range of an empty file', 'bytes=0-', 0],
    ['a suffix of an empty file', 'bytes=-5', 0],
  ])('%s is unsatisfiable', (_name, header, fileSize) => {
    expect(parseByteRange(header, fileSize)).toEqual({ kind: 'unsatisfiable' });
  });

  it('formats Content-Range for 206 and 416', () => {
    expect(contentRange(0, 9, 100)).toBe('bytes 0-9/100');
    expect(unsatisfiedRange(100)).toBe('bytes */100');
  });
});
