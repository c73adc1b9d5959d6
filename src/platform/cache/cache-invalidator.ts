import { Injectable } from '@nestjs/common';
import { SharedCache } from './shared-cache.js';

/**
 * Invalidation for services whose GET handlers use `@Cached()`: call it after the write is
 * stored and before the response is sent (read-your-writes across replicas). It never throws:
 * a cache that cannot be reached makes this replica bypass the cache until it has flushed it.
 */
@Injectable()
export class CacheInvalidator {
  constructor(private readonly cache: SharedCache) {}

  /** Every entry of `owner`'s views (items and lists) and every admin view, in O(1). */
  async invalidateOwner(owner: string): Promise<void> {
    await this.cache.bump(this.cache.keys.generationsWrittenBy(owner));
  }

  /** Every entry of every caller, in O(1). */
  async invalidateAll(): Promise<void> {
    await this.cache.bump([this.cache.keys.epoch]);
  }
}
