import { CacheKeys, cacheScopeOf, canonicalJson, stampOf } from './cache-keys.js';

const keys = new CacheKeys('ns');
const route = { route: '/api/data/:id', params: { id: 'x' }, query: {} };
const alice = { kind: 'owner', sub: 'alice' } as const;

describe('CacheKeys', () => {
  it('keys entries by caller: two owners never share one', () => {
    expect(keys.entry(alice, route)).not.toBe(keys.entry({ kind: 'owner', sub: 'bob' }, route));
  });

  it('keeps admin and owner views of the same subject apart', () => {
    expect(keys.entry(alice, route)).not.toBe(keys.entry({ kind: 'admin', sub: 'alice' }, route));
  });

  it('cannot be forged by a subject containing the separator', () => {
    const forged = { kind: 'owner', sub: 'alice:0' } as const;
    expect(keys.ownerGeneration('alice:0')).not.toBe(keys.ownerGeneration('alice'));
    expect(keys.entry(forged, route)).not.toBe(keys.entry(alice, route));
  });

  it('depends on route, params and query, not on query key order', () => {
    const list = { route: '/api/data', params: {}, query: { limit: '5', key: 'k' } };
    expect(keys.entry(alice, list)).toBe(keys.entry(alice, { ...list, query: { key: 'k', limit: '5' } }));
    expect(keys.entry(alice, list)).not.toBe(keys.entry(alice, { ...list, query: { key: 'k', limit: '6' } }));
    expect(keys.entry(alice, route)).not.toBe(keys.entry(alice, { ...route, params: { id: 'y' } }));
  });

  it('stamps entries with both generations, which is how a bump invalidates', () => {
    const gens = { epoch: '0', scope: '0' };
    expect(stampOf(gens)).not.toBe(stampOf({ ...gens, scope: '1' }));
    expect(stampOf(gens)).not.toBe(stampOf({ ...gens, epoch: '1' }));
  });

  it("has an owner's write bump the owner's and the admin generation", () => {
    expect(keys.generationsWrittenBy('alice')).toEqual([keys.ownerGeneration('alice'), keys.adminGeneration]);
    expect(keys.generationOf(alice)).toBe(keys.ownerGeneration('alice'));
    expect(keys.generationOf({ kind: 'admin', sub: 'root' })).toBe(keys.adminGeneration);
  });

  it('maps callers to scopes by the admin scope', () => {
    expect(cacheScopeOf({ sub: 'a', scopes: new Set(['data:read']) })).toEqual({ kind: 'owner', sub: 'a' });
    expect(cacheScopeOf({ sub: 'a', scopes: new Set(['data:admin']) })).toEqual({ kind: 'admin', sub: 'a' });
  });

  it('serializes canonically', () => {
    expect(canonicalJson({ b: [1, { d: 1, c: 2 }], a: 'x', u: undefined })).toBe('{"a":"x","b":[1,{"c":2,"d":1}]}');
  });
});

describe('CacheKeys: long routes', () => {
  it('hashes a long description, which never equals a short one used as it is', () => {
    const long = { route: '/api/data', params: {}, query: { key: 'k'.repeat(500) } };
    const key = keys.entry(alice, long);
    expect(key.length).toBeLessThan(120);
    expect(key).not.toBe(keys.entry(alice, { ...long, query: { key: 'k'.repeat(501) } }));
    expect(keys.entry(alice, route)).toContain('["/api/data/:id",{"id":"x"},{}]');
  });
});
