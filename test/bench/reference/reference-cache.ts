import { createClient } from '@redis/client';

/** A cached response body and its ETag ('' for lists). */
export interface CachedEntry {
  etag: string;
  body: string;
}

/**
 * The per-caller response cache of the reference: one hash per owner (field = path and query),
 * so a write drops all of that owner's entries with one DEL and a hit is one HGET.
 */
export interface ReferenceCache {
  get(owner: string, field: string): Promise<CachedEntry | undefined>;
  set(owner: string, field: string, entry: CachedEntry): Promise<void>;
  dropOwner(owner: string): Promise<void>;
  close(): Promise<void>;
}

const redisClient = (url: string) => createClient({ url });
type RedisClient = ReturnType<typeof redisClient>;

const encode = (entry: CachedEntry) => `${entry.etag}\n${entry.body}`;
function decode(text: string): CachedEntry {
  const split = text.indexOf('\n');
  return { etag: text.slice(0, split), body: text.slice(split + 1) };
}

class MemoryCache implements ReferenceCache {
  private readonly owners = new Map<string, Map<string, { text: string; expires: number }>>();

  constructor(private readonly ttlMs: number) {}

  async get(owner: string, field: string): Promise<CachedEntry | undefined> {
    const hit = this.owners.get(owner)?.get(field);
    return hit && hit.expires > Date.now() ? decode(hit.text) : undefined;
  }

  async set(owner: string, field: string, entry: CachedEntry): Promise<void> {
    let fields = this.owners.get(owner);
    if (!fields) this.owners.set(owner, (fields = new Map()));
    fields.set(field, { text: encode(entry), expires: Date.now() + this.ttlMs });
  }

  async dropOwner(owner: string): Promise<void> {
    this.owners.delete(owner);
  }

  async close(): Promise<void> {}
}

class RedisCache implements ReferenceCache {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix: string,
    private readonly ttlS: number,
  ) {}

  async get(owner: string, field: string): Promise<CachedEntry | undefined> {
    const text = await this.client.hGet(this.prefix + owner, field);
    return typeof text === 'string' ? decode(text) : undefined;
  }

  async set(owner: string, field: string, entry: CachedEntry): Promise<void> {
    await this.client.multi().hSet(this.prefix + owner, field, encode(entry)).expire(this.prefix + owner, this.ttlS).exec();
  }

  async dropOwner(owner: string): Promise<void> {
    await this.client.del(this.prefix + owner);
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

/** In process without a URL, Redis (keys under `prefix`) with one. */
export async function openReferenceCache(redisUrl: string | undefined, prefix: string, ttlS: number): Promise<ReferenceCache> {
  if (!redisUrl) return new MemoryCache(ttlS * 1000);
  const client = redisClient(redisUrl);
  client.on('error', () => undefined);
  await client.connect();
  return new RedisCache(client, prefix, ttlS);
}
