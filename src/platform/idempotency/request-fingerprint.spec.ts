import { createHash } from 'node:crypto';
import { bodyHash, requestFingerprint } from './request-fingerprint.js';

const base = { method: 'POST', url: '/api/data', owner: 'alice', body: { key: 'k', nested: { field1: 1, field2: 'x' } } };

describe('requestFingerprint', () => {
  it('is stable for the same request', () => {
    expect(requestFingerprint(base)).toBe(requestFingerprint(structuredClone(base)));
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['method', { method: 'PUT' }],
    ['path', { url: '/api/other' }],
    ['query', { url: '/api/data?x=1' }],
    ['owner', { owner: 'bob' }],
    ['a body value', { body: { key: 'k', nested: { field1: 2, field2: 'x' } } }],
    ['body key order', { body: { nested: { field1: 1, field2: 'x' }, key: 'k' } }],
    ['no body', { body: undefined }],
  ])('changes with the %s', (_name, change) => {
    expect(requestFingerprint({ ...base, ...change })).not.toBe(requestFingerprint(base));
  });

  it('does not let one field run into the next', () => {
    expect(requestFingerprint({ ...base, url: '/a', owner: 'b/c' })).not.toBe(requestFingerprint({ ...base, url: '/a/b', owner: 'c' }));
  });

  it('ignores the method case', () => {
    expect(requestFingerprint({ ...base, method: 'post' })).toBe(requestFingerprint(base));
  });
});

describe('bodyHash', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('hashes the parsed JSON serialized again, so whitespace of the original text does not matter', () => {
    expect(bodyHash(JSON.parse('{ "a" : 1.0,\n "b": [ 1 ] }'))).toBe(sha256('{"a":1,"b":[1]}'));
  });

  it('hashes non-JSON bodies as bytes, and no body as nothing', () => {
    expect(bodyHash('text')).toBe(sha256('text'));
    expect(bodyHash(Buffer.from('text'))).toBe(sha256('text'));
    expect(bodyHash(undefined)).toBe(sha256(''));
  });
});
