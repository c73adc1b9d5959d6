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

/** The generations an entry was built under (absent in the store = '0'). */
export interface Generations {
  epoch: string;
  scope: string;
}

/** An entry is valid only under the generations it was stored with: its stamp says which. */
export function stampOf(generations: Generations): string {
  // Generations are '0' or UUIDs: never a ':' or a newline inside one.
  return `${generations.epoch}:${generations.scope}`;
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

/** Longest route description used in a key as it is (longer ones are hashed). */
const MAX_PLAIN_DESCRIPTION = 200;

// A subject is client-controlled text: encoded, it can never forge the ':' separators.
const encodeSub = (sub: string) => encodeURIComponent(sub);

/**
 * Key layout (one namespace per deployment):
 *   <ns>:cache:v1:gen:epoch            bumped to drop everything (recovery after a cache outage)
 *   <ns>:cache:v1:gen:admin            bumped by every write: admin views span all owners
 *   <ns>:cache:v1:gen:o:<sub>          bumped by writes to that owner's records
 *   <ns>:cache:v2:e:<o|a>:<sub>:<[route, params, query] as canonical JSON, or its sha256 if long>
 *                                      "<epoch>:<generation>\n<entry>": the stamp, then the entry
 * One read (getMany) fetches both generations and the entry; an entry whose stamp is not the
 * current generations is a miss, so a bump invalidates every entry of the scope at once (O(1)).
 * The next miss overwrites the slot. Entries are `v2` (v1 put the generations in the key and
 * took two reads); the generation keys keep their `v1` names, so replicas of both versions
 * bump the same generations during a rolling update.
 */
export class CacheKeys {
  private readonly prefix: string;
  private readonly entryPrefix: string;

  constructor(namespace: string) {
    this.prefix = `${namespace}:cache:v1`;
    this.entryPrefix = `${namespace}:cache:v2:e`;
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

  /** Where a caller's view of a route is stored, whatever the generations. */
  entry(scope: CacheScope, route: CachedRoute): string {
    const what = canonicalJson([route.route, route.params, route.query]);
    // Short descriptions (an id, a small query) are the key as they are, which spares a hash per
    // read; long ones are hashed, to bound the key. No digest starts with '[' as JSON does.
    const id = what.length <= MAX_PLAIN_DESCRIPTION ? what : createHash('sha256').update(what).digest('base64url');
    const who = `${scope.kind === 'admin' ? 'a' : 'o'}:${encodeSub(scope.sub)}`;
    return `${this.entryPrefix}:${who}:${id}`;
  }
}
