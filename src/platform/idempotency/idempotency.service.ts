import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectIdempotentReplaysCounter } from '../metrics/index.js';
import type { Counter } from 'prom-client';
import { sharedStateConfig, type SharedStateConfig } from '../../config/index.js';
import type { Claim, IdempotencyStore, StoredResponse } from './idempotency.store.js';
import { InjectIdempotencyStore } from './idempotency.tokens.js';

/**
 * How long a claimed key stays locked while its request runs. A replica that dies mid-request
 * leaves an in-flight row: after this it may be taken over, so the key is never locked for
 * good. Longer than any request should take (database queries time out after seconds).
 */
export const IN_FLIGHT_LEASE_S = 60;

/** How often each replica deletes expired keys (claims also take expired rows over). */
export const SWEEP_INTERVAL_MS = 10 * 60_000;

/** Claim attempts when the row vanishes between a lost claim and the read (released, swept). */
const MAX_CLAIM_ATTEMPTS = 3;

export type Decision =
  | { kind: 'proceed'; claim: Claim }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_flight' }
  | { kind: 'mismatch' };

/**
 * The Idempotency-Key state machine over a store: free → in flight (claimed) → completed
 * (replayable until the TTL) or released (a 5xx, so a retry runs again).
 */
@Injectable()
export class IdempotencyService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Idempotency');
  private sweeper?: NodeJS.Timeout;

  constructor(
    @InjectIdempotencyStore() private readonly store: IdempotencyStore,
    @Inject(sharedStateConfig.KEY) private readonly config: Pick<SharedStateConfig, 'idempotencyTtlS'>,
    @InjectIdempotentReplaysCounter() private readonly replays: Pick<Counter, 'inc'>,
  ) {}

  /** Decides what a request with this key does. Key mismatches win over in-flight (retrying cannot fix them). */
  async begin(owner: string, key: string, fingerprint: string): Promise<Decision> {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const claim = await this.store.claim(owner, key, fingerprint, IN_FLIGHT_LEASE_S);
      if (claim) return { kind: 'proceed', claim };
      const existing = await this.store.find(owner, key);
      if (!existing) continue;
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.state === 'in_flight' || !existing.response) return { kind: 'in_flight' };
      this.replays.inc();
      return { kind: 'replay', response: existing.response };
    }
    return { kind: 'in_flight' };
  }

  /**
   * The claimed request's final response: stored when below 500, so a retry replays it;
   * a 5xx (or a body that cannot be stored) releases the key so a retry runs again.
   */
  async finish(claim: Claim, response: StoredResponse | null): Promise<void> {
    if (response && response.status < 500) await this.store.complete(claim, response, this.config.idempotencyTtlS);
    else await this.store.release(claim);
  }

  onApplicationBootstrap(): void {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  /** Deletes expired keys; every replica may run it, the deletes do not conflict. */
  async sweep(): Promise<number> {
    try {
      return await this.store.deleteExpired();
    } catch (error) {
      this.logger.warn(`Deleting expired idempotency keys failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
