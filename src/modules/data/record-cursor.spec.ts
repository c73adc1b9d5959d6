import { decodeCursor, encodeCursor } from './record-cursor.js';

const raw = (text: string) => Buffer.from(text).toString('base64url');

describe('record cursors', () => {
  it.each(['1', '42', '1000000', '9223372036854775807'])('round-trips the sequence %s', (seq) => {
    expect(decodeCursor(encodeCursor(seq))).toBe(seq);
  });

  it('is URL-safe text that does not show the sequence', () => {
    const cursor = encodeCursor('9223372036854775807');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('9223372036854775807');
  });

  it('gives different sequences different cursors', () => {
    expect(encodeCursor('12')).not.toBe(encodeCursor('21'));
  });

  it.each([
    ['an empty cursor', ''],
    ['garbage', 'not-a-cursor'],
    ['a bare number', '42'],
    ['another prefix', raw('r2:42')],
    ['no sequence', raw('r1:')],
    ['zero', raw('r1:0')],
    ['a negative sequence', raw('r1:-1')],
    ['a leading zero', raw('r1:042')],
    ['an exponent', raw('r1:1e3')],
    ['a fraction', raw('r1:1.5')],
    ['whitespace', raw('r1: 1')],
    ['a trailing newline', raw('r1:1\n')],
    ['an SQL fragment', raw("r1:1' OR '1'='1")],
    ['one past the bigint range', raw('r1:9223372036854775808')],
    ['far past the bigint range', raw('r1:99999999999999999999')],
    ['20 digits', raw('r1:10000000000000000000')],
  ])('rejects %s', (_name, cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
