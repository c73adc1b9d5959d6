import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { type CommandParser, createClient, defineScript } from '@redis/client';
import type { RedisBreaker } from '../cache/redis-breaker.js';
import { withTimeout } from '../cache/with-timeout.js';
import type { ThrottlerStorageRecord } from './rate-limit.headers.js';

/**
 * One fixed window per key, atomically: INCR, start the window on the first hit, and on the
 * first hit over the limit stretch the key to the block duration, so the count starts over
 * when the block ends (FixedWindowThrottlerStorage applies the same rules in process). Returns
 * [hits, ms left on the key].
 */
export const INCREMENT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
if hits == tonumber(ARGV[2]) + 1 and tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return { hits, left }
`;

/** Sent as EVALSHA (40 bytes instead of the script's text); node-redis falls back to EVAL on NOSCRIPT. */
const INCREMENT = defineScript({
  SCRIPT: INCREMENT_SCRIPT,
  NUMBER_OF_KEYS: 1,
  parseCommand(parser: CommandParser, key: string, ttlMs: number, limit: number, blockMs: number) {
    parser.pushKey(key);
    parser.push(String(ttlMs), String(limit), String(blockMs));
  },
  transformReply: (reply: unknown) => reply as [number, number],
});

const KEY_PREFIX = 'data-api:rate-limit:';
/** How long boot waits for the first connection (later ones happen in the background). */
const CONNECT_WAIT_MS = 1_000;
/** Requests waiting on a hung Redis are bounded: past this many, calls fail at once. */
const MAX_QUEUED_COMMANDS = 1_000;

const redisSilent = (ms: number) => () => new Error(`Redis did not answer within ${ms} ms`);

export interface RedisThrottlerStorageOptions {
  url: string;
  /**
   * The replica's breaker, shared with the cache: its timeout is the longest one increment may
   * take before the caller gives up on it (and fails open), and while a Redis call of either
   * recently failed, increments fail at once.
   */
  breaker: RedisBreaker;
}

/**
 * ThrottlerStorage on Redis, so replicas share one budget per caller. It never waits for
 * Redis: while disconnected, or while the breaker is open, a call fails at once; while Redis
 * hangs it fails after the breaker's timeout (and opens it); the guard decides what a failure
 * means (it fails open).
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnModuleInit, OnApplicationShutdown {
  private readonly client;
  private readonly breaker: RedisBreaker;
  private readonly timedOut: () => Error;

  constructor(options: RedisThrottlerStorageOptions) {
    this.breaker = options.breaker;
    this.timedOut = redisSilent(options.breaker.timeoutMs);
    this.client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      commandsQueueMaxLength: MAX_QUEUED_COMMANDS,
      scripts: { rateLimitIncrement: INCREMENT },
      socket: {
        connectTimeout: 1_000,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2_000),
      },
    });
    // Connection errors are reported through the calls that fail; without a listener they would crash.
    this.client.on('error', () => undefined);
  }

  /** Waits for Redis at most CONNECT_WAIT_MS: an unreachable Redis delays the start, never blocks it. */
  async onModuleInit(): Promise<void> {
    const connecting = this.client.connect().catch(() => undefined);
    await withTimeout(connecting, CONNECT_WAIT_MS, redisSilent(CONNECT_WAIT_MS)).catch(() => undefined);
  }

  async onApplicationShutdown(): Promise<void> {
    // destroy, not close: close waits for pending replies, which a hung Redis never sends.
    if (this.client.isOpen) this.client.destroy();
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    // Fails at once without opening the breaker: this client reconnects in the background, and
    // until it has, the cache (its own connection) may be fine and need no recovery flush.
    if (!this.client.isReady) throw new Error('Redis is not connected');
    // The client's own command timeout stops counting once a command is written to the socket,
    // so a Redis that accepts bytes but never answers (SIGSTOP, a stalled network) needs the breaker's.
    const [totalHits, msLeft] = await this.breaker.call(
      () => this.client.rateLimitIncrement(`${KEY_PREFIX}{${key}}`, ttl, limit, blockDuration),
      this.timedOut,
    );
    const secondsLeft = Math.ceil(msLeft / 1000);
    const isBlocked = totalHits > limit;
    return { totalHits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }
}
