import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type Keyv from 'keyv';
import type { Counter } from 'prom-client';
import { sharedStateConfig, type SharedStateConfig } from '../../config/index.js';
import { type CacheResult, InjectCacheRequestsCounter } from '../metrics/index.js';
import { CacheKeys, type CacheScope, type CachedRoute, INITIAL_GENERATION, stampOf } from './cache-keys.js';
import { InjectCacheNamespace, InjectCacheStore } from './cache.tokens.js';
import { FailureReport } from '../logging/index.js';
import { RedisBreaker } from './redis-breaker.js';
import { withTimeout } from './with-timeout.js';

/** One warning per interval however many calls fail: an outage must not flood the log. */
export const CACHE_ERROR_LOG_INTERVAL_MS = 30_000;

/** Where a looked-up entry is (re)stored, and the generations it was looked up under. */
export interface CacheSlot {
  key: string;
  stamp: string;
}

/** A lookup's outcome: the slot for storing, and the entry when one is stored under the current generations. */
export interface CacheLookup {
  slot: CacheSlot;
  value: string | undefined;
}

/** Generations outlive every entry built from them (entry TTLs are at most a day). */
const GENERATION_TTL_MS = 2 * 86_400_000;

/**
 * The cache as the rest of the service sees it: every store call goes through the replica's
 * RedisBreaker (bounded by CACHE_TIMEOUT_MS, skipped while Redis is known to be failing); an
 * error, timeout or skip is a miss (reads) or a no-op (writes), counted and logged sparingly.
 *
 * Staleness after a failure: a failed call may have been a failed invalidation (here or on
 * another replica), so after any failure this replica stops using the cache (the breaker is
 * open) until it has bumped the epoch, which makes every entry written before the outage
 * unreachable. The bump is the breaker's probe: a timer runs it, whether or not requests come.
 */
@Injectable()
export class SharedCache {
  readonly keys: CacheKeys;
  private readonly logger = new Logger('Cache');
  private readonly failures = new FailureReport(this.logger, 'Cache unavailable, serving from the database', CACHE_ERROR_LOG_INTERVAL_MS);

  constructor(
    @InjectCacheStore() private readonly store: Keyv,
    @Inject(sharedStateConfig.KEY) private readonly config: SharedStateConfig,
    @InjectCacheRequestsCounter() private readonly requests: Counter<'result'>,
    @InjectCacheNamespace() namespace: string,
    private readonly breaker: RedisBreaker,
  ) {
    this.keys = new CacheKeys(namespace);
    breaker.recoverWith(
      () => this.store.set(this.keys.epoch, randomUUID(), GENERATION_TTL_MS),
      () => this.logger.log('Cache reachable again: entries from before the outage dropped (epoch bumped)'),
    );
  }

  get defaultTtlS(): number {
    return this.config.cacheTtlS;
  }

  /** Counts a lookup's outcome for `cache_requests_total`. */
  count(result: CacheResult): void {
    this.requests.inc({ result });
  }

  /**
   * A caller's view of a route, in one store read: the scope's generations and the entry. The
   * entry counts only when its stamp is the current generations. Undefined when the cache cannot
   * be used (failing, or not yet recovered from a failure): then the request bypasses the cache.
   */
  async lookup(scope: CacheScope, route: CachedRoute): Promise<CacheLookup | undefined> {
    const key = this.keys.entry(scope, route);
    const read = await this.call(() => this.store.getMany<string>([this.keys.epoch, this.keys.generationOf(scope), key]));
    if (!read.ok) return undefined;
    const [epoch, generation, stored] = read.value;
    const stamp = stampOf({ epoch: epoch ?? INITIAL_GENERATION, scope: generation ?? INITIAL_GENERATION });
    const current = typeof stored === 'string' && stored.length > stamp.length && stored.startsWith(stamp) && stored[stamp.length] === '\n';
    return { slot: { key, stamp }, value: current ? stored.slice(stamp.length + 1) : undefined };
  }

  /**
   * Stores an entry under the generations its lookup saw, read before the handler ran: a write
   * that bumped them meanwhile leaves this entry stale from the start, never served.
   */
  async save(slot: CacheSlot, value: string, ttlMs: number): Promise<void> {
    await this.set(slot.key, `${slot.stamp}\n${value}`, ttlMs);
  }

  async get(key: string): Promise<string | undefined> {
    const result = await this.call(() => this.store.get<string>(key));
    return result.ok ? result.value : undefined;
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.call(() => this.store.set(key, value, ttlMs));
  }

  /** Replaces each generation with a fresh random one; false when the store did not confirm. */
  async bump(generationKeys: string[]): Promise<boolean> {
    const result = await this.call(() =>
      Promise.all(generationKeys.map((key) => this.store.set(key, randomUUID(), GENERATION_TTL_MS))),
    );
    return result.ok;
  }

  /**
   * For readiness: whether the store answers within the timeout now (not counted as a lookup,
   * and not through the breaker, which may be open from a failure Redis has recovered from).
   */
  async ping(): Promise<void> {
    await withTimeout(this.store.get(this.keys.epoch), this.config.cacheTimeoutMs);
  }

  async close(): Promise<void> {
    this.breaker.stop();
    this.failures.flush();
    await withTimeout(this.store.disconnect(), 1_000).catch(() => undefined);
  }

  private async call<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> {
    try {
      return { ok: true, value: await this.breaker.call(work) };
    } catch (error) {
      this.count('error');
      this.failures.record(error);
      return { ok: false };
    }
  }
}
