import { type ExecutionContext, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { MemoizedReflector } from '../../common/metadata/memoized-reflector.js';
import { AppError } from '../../core/errors/index.js';
import { FailureReport } from '../logging/index.js';
import { InjectRateLimitedCounter, InjectRateLimitErrorsCounter } from '../metrics/index.js';
import { rateLimitHeaders, type ThrottlerStorageRecord } from './rate-limit.headers.js';
import { isExemptRoute, rateLimitTracker } from './rate-limit.tracker.js';

/**
 * Global rate limit. Registered after the auth guards, so it keys by the verified `sub`
 * (public routes by client address); one budget per caller across all routes. Answers the
 * RATE_LIMITED envelope with RateLimit headers, and fails open when the storage fails
 * (counted in rate_limit_errors_total, logged at most once a minute).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard implements OnApplicationShutdown {
  private readonly failures = new FailureReport(new Logger('RateLimit'), 'Rate limit storage failed, requests allowed unchecked');

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectRateLimitedCounter() private readonly rateLimited: Counter,
    @InjectRateLimitErrorsCounter() private readonly storageErrors: Counter,
  ) {
    // The package reads five per-route overrides on every request: memoized per handler.
    super(options, storage, new MemoizedReflector(reflector).asReflector());
  }

  onApplicationShutdown(): void {
    this.failures.flush();
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return isExemptRoute(context.switchToHttp().getRequest<FastifyRequest>().routeOptions.url);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    return rateLimitTracker(request as unknown as FastifyRequest, this.ipv6SubnetPrefix);
  }

  /** Not per route (the stock key includes controller and handler): one budget per caller. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = request;
    const name = throttler.name ?? 'default';
    const key = generateKey(context, await getTracker(context.switchToHttp().getRequest(), context), name);
    let record: ThrottlerStorageRecord;
    try {
      record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    } catch (error) {
      // Fail open: an unreachable or hung Redis must not turn into refused traffic.
      this.storageErrors.inc();
      this.failures.record(error);
      return true;
    }
    const headers = rateLimitHeaders(limit, record);
    if (record.isBlocked) {
      this.rateLimited.inc();
      throw new AppError('RATE_LIMITED', undefined, undefined, headers);
    }
    context.switchToHttp().getResponse<FastifyReply>().headers(headers);
    return true;
  }
}
