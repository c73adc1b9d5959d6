import { isSafeText } from '../common/validation/safe-text.js';

/** Who is calling, from a verified token: modules decide ownership and visibility from this. */
export interface Caller {
  /** The token's `sub`: records created by this caller belong to it. */
  sub: string;
  scopes: ReadonlySet<string>;
}

/** Longest `sub` taken from a token (UTF-16 code units): it becomes the owner column of what the caller stores. */
export const SUB_MAX_LENGTH = 256;

/** A `sub` that can own records: 1..SUB_MAX_LENGTH of text PostgreSQL can store (no NUL, no lone surrogate). */
export function isAcceptableSub(sub: unknown): sub is string {
  return typeof sub === 'string' && sub.length > 0 && sub.length <= SUB_MAX_LENGTH && isSafeText(sub);
}

export const SCOPES = {
  read: 'data:read',
  write: 'data:write',
  /** Sees and changes every owner's records; implies read and write. */
  admin: 'data:admin',
} as const;

export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** The OAuth `scope` claim is space-separated; some identity providers send an array. */
export function scopesFromClaim(claim: unknown): Set<string> {
  if (typeof claim === 'string') return new Set(claim.split(' ').filter((scope) => scope.length > 0));
  if (Array.isArray(claim)) return new Set(claim.filter((scope): scope is string => typeof scope === 'string'));
  return new Set();
}

export function hasScope(caller: Caller, scope: string): boolean {
  return caller.scopes.has(scope) || (scope.startsWith('data:') && caller.scopes.has(SCOPES.admin));
}

export function isAdmin(caller: Caller): boolean {
  return caller.scopes.has(SCOPES.admin);
}
