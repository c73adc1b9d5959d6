import { Injectable, Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { type Kysely, sql } from 'kysely';
import { InjectDatabase } from '../database/index.js';
import type { ReadinessCheck } from './readiness-check.js';

/**
 * Shorter than any probe timeout a gateway or kubelet should use (2 s or more), so a hung
 * database fails readiness with a body rather than leaving the probe to time out.
 */
export const DATABASE_CHECK_TIMEOUT_MS = 1_000;

/** The database answers a trivial query on the shared pool. */
@Injectable()
export class DatabaseHealthIndicator implements ReadinessCheck {
  readonly key = 'database';
  readonly optional = false;
  private readonly logger = new Logger('Health');

  constructor(
    @InjectDatabase() private readonly db: Kysely<unknown>,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check() {
    return this.indicators
      .check(this.key)
      .attempt(async () => {
        try {
          await sql`select 1`.execute(this.db);
        } catch (error) {
          // The probe is public: the cause (host, port, driver message) goes to the log only.
          this.logger.warn(`Database check failed: ${error instanceof Error ? error.message : String(error)}`);
          throw new Error('database query failed');
        }
      })
      .withTimeout(DATABASE_CHECK_TIMEOUT_MS);
  }
}
