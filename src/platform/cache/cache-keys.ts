import { createHash } from 'node:crypto';
import { type Caller, isAdmin } from '../../auth/index.js';

/**
 * Whose view an entry holds. Owners see their own records; admins see every owner's, so
 * their entries hang off the admin generation, which every write bumps.
 */
export type CacheScope = { kind: 'owner'; sub: string } | { kind: 'admin'; sub: string };

export function cacheScopeOf(caller: Caller): CacheScope {
  return { kind: isAdmin(caller) ? 'admin' : 'owner', sub: caller.sub };
}

/** What a cached GET is keyed by besides the caller: route template, path params and query. */
export interface CachedRoute {
  route: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
}

/** The generations an entry key was built from (absent in the store = '0'). */
export interface Generations {
  epoch: string;
  scope: string;
}

export const INITIAL_GENERATION = '0';

/** JSON with object keys sorted, so `?a=1&b=2` and `?b=2&a=1` share an entry. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

// A subject is client-controlled text: encoded, it can never forge the ':' separators.
const encodeSub = (sub: string) => encodeURIComponent(sub);

/**
 * Key layout (one namespace per deployment):
 *   <ns>:cache:v1:gen:epoch            bumped to drop everything (recovery after a cache outage)
 *   <ns>:cache:v1:gen:admin            bumped by every write: admin views span all owners
 *   <ns>:cache:v1:gen:o:<sub>          bumped by writes to that owner's records
 *   <ns>:cache:v1:e:<epoch>:<o|a>:<sub>:<generation>:<sha256(route, params, query)>
 * A bump makes every entry built from the old generation unreachable at once (O(1)); those
 * entries are never read again and expire with their TTL.
 */
export class CacheKeys {
  private readonly prefix: string;

  constructor(namespace: string) {
    this.prefix = `${namespace}:cache:v1`;
  }

  get epoch(): string {
    return `${this.prefix}:gen:epoch`;
  }

  get adminGeneration(): string {
    return `${this.prefix}:gen:admin`;
  }

  ownerGeneration(sub: string): string {
    return `${this.prefix}:gen:o:${encodeSub(sub)}`;
  }

  /** The generation a scope's entries depend on. */
  generationOf(scope: CacheScope): string {
    return scope.kind === 'admin' ? this.adminGeneration : this.ownerGeneration(scope.sub);
  }

  /** The generations one owner's write must bump: theirs, and the admin views'. */
  generationsWrittenBy(owner: string): string[] {
    return [this.ownerGeneration(owner), this.adminGeneration];
  }

  entry(scope: CacheScope, generations: Generations, route: CachedRoute): string {
    const digest = createHash('sha256').update(canonicalJson([route.route, route.params, route.query])).digest('base64url');
    const who = `${scope.kind === 'admin' ? 'a' : 'o'}:${encodeSub(scope.sub)}`;
    return `${this.prefix}:e:${generations.epoch}:${who}:${generations.scope}:${digest}`;
  }
}
