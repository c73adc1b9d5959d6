import KeyvRedis, { createKeyvNonBlocking } from '@keyv/redis';
import Keyv from 'keyv';
import { deserializeEntry, serializeEntry } from './entry-serialization.js';
import { SweepingMap } from './sweeping-map.js';

/**
 * In-process without a URL (a Map that forgets expired entries). With one, `@keyv/redis`'s non-blocking client (no offline queue,
 * no reconnect loop: each call reconnects or fails at once), switched to throwing so that a
 * failed call is seen as an error (counted, logged) rather than as a miss.
 */
export function createCacheStore(redisUrl: string | undefined): Keyv {
  if (!redisUrl) return new Keyv({ store: new SweepingMap(), serialize: serializeEntry, deserialize: deserializeEntry });
  const keyv = createKeyvNonBlocking(redisUrl);
  keyv.serialize = serializeEntry;
  keyv.deserialize = deserializeEntry;
  const adapter = keyv.store as KeyvRedis<string>;
  adapter.throwOnErrors = true;
  adapter.throwOnConnectError = true;
  keyv.throwOnErrors = true;
  // Errors are also emitted as events; the callers already see and count them.
  keyv.on('error', () => undefined);
  shareConnectionAttempts(adapter);
  return keyv;
}

/**
 * The adapter connects on first use, and treats a client that is still connecting as usable:
 * without an offline queue, every call made during the handshake fails with "The client is
 * offline". Calls made while not ready wait for the one connection attempt instead.
 */
function shareConnectionAttempts(adapter: KeyvRedis<string>): void {
  const getClient = adapter.getClient.bind(adapter);
  let connecting: ReturnType<typeof getClient> | undefined;
  adapter.getClient = () => {
    // A cluster client has no isReady: it handles its own connections.
    if ((adapter.client as { isReady?: boolean }).isReady ?? true) return getClient();
    connecting ??= getClient().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };
}
