import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type Kysely, sql } from 'kysely';
import { InjectDatabase } from '../database/index.js';
import { checkFailureReport, probeDependency, type ReadinessCheck } from './readiness-check.js';

/**
 * Shorter than any probe timeout a gateway or kubelet should use (2 s or more), so a hung
 * database fails readiness with a body rather than leaving the probe to time out.
 */
export const DATABASE_CHECK_TIMEOUT_MS = 1_000;

/** The database answers a trivial query on the shared pool. */
@Injectable()
export class DatabaseHealthIndicator implements ReadinessCheck, OnApplicationShutdown {
  readonly key = 'database';
  readonly optional = false;
  private readonly failures = checkFailureReport('Database');

  constructor(
    @InjectDatabase() private readonly db: Kysely<unknown>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    return this.indicators
      .check(this.key)
      .attempt(() => probeDependency(this.failures, 'database query failed', () => sql`select 1`.execute(this.db)))
      .withTimeout(DATABASE_CHECK_TIMEOUT_MS);
  }

  onApplicationShutdown(): void {
    this.failures.flush();
  }
}
