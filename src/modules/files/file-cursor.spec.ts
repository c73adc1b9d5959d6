import { decodeFileCursor, encodeFileCursor } from './file-cursor.js';

describe('file cursors', () => {
  it('round-trip a sequence', () => {
    expect(decodeFileCursor(encodeFileCursor('42'))).toBe('42');
    expect(encodeFileCursor('42')).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a records cursor', Buffer.from('r1:42').toString('base64url')],
    ['zero', Buffer.from('f1:0').toString('base64url')],
    ['past bigint', Buffer.from('f1:9223372036854775808').toString('base64url')],
    ['a negative sequence', Buffer.from('f1:-1').toString('base64url')],
  ])('refuse %s', (_name, cursor) => {
    expect(decodeFileCursor(cursor)).toBeUndefined();
  });
});
