import { CacheKeys, cacheScopeOf, canonicalJson } from './cache-keys.js';

const keys = new CacheKeys('ns');
const gens = { epoch: '0', scope: '0' };
const route = { route: '/api/data/:id', params: { id: 'x' }, query: {} };
const alice = { kind: 'owner', sub: 'alice' } as const;

describe('CacheKeys', () => {
  it('keys entries by caller: two owners never share one', () => {
    expect(keys.entry(alice, gens, route)).not.toBe(keys.entry({ kind: 'owner', sub: 'bob' }, gens, route));
  });

  it('keeps admin and owner views of the same subject apart', () => {
    expect(keys.entry(alice, gens, route)).not.toBe(keys.entry({ kind: 'admin', sub: 'alice' }, gens, route));
  });

  it('cannot be forged by a subject containing the separator', () => {
    const forged = { kind: 'owner', sub: 'alice:0' } as const;
    expect(keys.ownerGeneration('alice:0')).not.toBe(keys.ownerGeneration('alice'));
    expect(keys.entry(forged, { epoch: '0', scope: 'x' }, route)).not.toBe(keys.entry(alice, { epoch: '0', scope: '0:x' }, route));
  });

  it('depends on route, params and query, not on query key order', () => {
    const list = { route: '/api/data', params: {}, query: { limit: '5', key: 'k' } };
    expect(keys.entry(alice, gens, list)).toBe(keys.entry(alice, gens, { ...list, query: { key: 'k', limit: '5' } }));
    expect(keys.entry(alice, gens, list)).not.toBe(keys.entry(alice, gens, { ...list, query: { key: 'k', limit: '6' } }));
    expect(keys.entry(alice, gens, route)).not.toBe(keys.entry(alice, gens, { ...route, params: { id: 'y' } }));
  });

  it('changes with either generation, which is how a bump invalidates', () => {
    expect(keys.entry(alice, gens, route)).not.toBe(keys.entry(alice, { ...gens, scope: '1' }, route));
    expect(keys.entry(alice, gens, route)).not.toBe(keys.entry(alice, { ...gens, epoch: '1' }, route));
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
