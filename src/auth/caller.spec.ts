import { type Caller, hasScope, isAdmin, SCOPES, scopesFromClaim } from './caller.js';

const caller = (...scopes: string[]): Caller => ({ sub: 'alice', scopes: new Set(scopes) });

describe('scopesFromClaim', () => {
  it('splits the OAuth space-separated string, ignoring repeated spaces', () => {
    expect(scopesFromClaim('data:read  data:write ')).toEqual(new Set(['data:read', 'data:write']));
  });

  it('accepts an array claim, keeping only strings', () => {
    expect(scopesFromClaim(['data:read', 42, null, 'data:write'])).toEqual(new Set(['data:read', 'data:write']));
  });

  it.each([undefined, null, 42, { 'data:read': true }, ''])('gives no scope for %p', (claim) => {
    expect(scopesFromClaim(claim).size).toBe(0);
  });
});

describe('hasScope', () => {
  it('needs the exact scope', () => {
    expect(hasScope(caller('data:read'), SCOPES.read)).toBe(true);
    expect(hasScope(caller('data:read'), SCOPES.write)).toBe(false);
    expect(hasScope(caller('data:readwrite', 'data'), SCOPES.read)).toBe(false);
  });

  it('lets data:admin imply data:read and data:write, and nothing outside data:', () => {
    expect(hasScope(caller(SCOPES.admin), SCOPES.read)).toBe(true);
    expect(hasScope(caller(SCOPES.admin), SCOPES.write)).toBe(true);
    expect(hasScope(caller(SCOPES.admin), 'files:read')).toBe(false);
  });
});

describe('isAdmin', () => {
  it('is true only with data:admin', () => {
    expect(isAdmin(caller(SCOPES.admin))).toBe(true);
    expect(isAdmin(caller(SCOPES.read, SCOPES.write))).toBe(false);
  });
});
