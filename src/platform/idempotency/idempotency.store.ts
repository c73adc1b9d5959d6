import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type Kysely, sql } from 'kysely';
import { InjectDatabase } from '../database/index.js';
import type { IdempotencyState, IdempotencyTables } from './idempotency.tables.js';

/** A response as stored and replayed: status, the headers that matter, the exact body bytes. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The live (unexpired) row of a key. */
export interface KeyRecord {
  fingerprint: string;
  state: IdempotencyState;
  response: StoredResponse | null;
}

/** Who holds a key: completing or releasing only works for this very claim. */
export interface Claim {
  owner: string;
  key: string;
  claimId: string;
}

/** Where keys live. The database decides races; the service holds the state machine. */
export interface IdempotencyStore {
  /** Takes the key when it is free or expired; null when another request holds it. */
  claim(owner: string, key: string, fingerprint: string, leaseS: number): Promise<Claim | null>;
  find(owner: string, key: string): Promise<KeyRecord | undefined>;
  complete(claim: Claim, response: StoredResponse, ttlS: number): Promise<void>;
  release(claim: Claim): Promise<void>;
  /** Deletes expired rows; returns how many. */
  deleteExpired(): Promise<number>;
}

const secondsFromNow = (seconds: number) => sql<Date>`now() + make_interval(secs => ${seconds})`;

/** PostgreSQL/PGlite through the shared Kysely instance; times are the database's clock. */
@Injectable()
export class DatabaseIdempotencyStore implements IdempotencyStore {
  constructor(@InjectDatabase() private readonly db: Kysely<IdempotencyTables>) {}

  async claim(owner: string, key: string, fingerprint: string, leaseS: number): Promise<Claim | null> {
    const claimId = randomUUID();
    // One statement: concurrent claims of one key serialize on the row, and only an expired
    // row (a finished TTL, or the lease of a request that never finished) can be taken over.
    const row = await this.db
      .insertInto('idempotency_keys')
      .values({ owner, key, claim_id: claimId, fingerprint, state: 'in_flight', expires_at: secondsFromNow(leaseS) })
      .onConflict((conflict) =>
        conflict
          .columns(['owner', 'key'])
          .doUpdateSet((eb) => ({
            claim_id: eb.ref('excluded.claim_id'),
            fingerprint: eb.ref('excluded.fingerprint'),
            state: 'in_flight',
            status: null,
            headers: null,
            body: null,
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where('idempotency_keys.expires_at', '<=', sql<Date>`now()`),
      )
      .returning('claim_id')
      .executeTakeFirst();
    return row?.claim_id === claimId ? { owner, key, claimId } : null;
  }

  async find(owner: string, key: string): Promise<KeyRecord | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'state', 'status', 'headers', 'body'])
      .where('owner', '=', owner)
      .where('key', '=', key)
      .where('expires_at', '>', sql<Date>`now()`)
      .executeTakeFirst();
    if (!row) return undefined;
    const response =
      row.state === 'completed' && row.status !== null
        ? { status: row.status, headers: row.headers ?? {}, body: Buffer.from(row.body ?? new Uint8Array()) }
        : null;
    return { fingerprint: row.fingerprint, state: row.state, response };
  }

  async complete(claim: Claim, response: StoredResponse, ttlS: number): Promise<void> {
    await this.db
      .updateTable('idempotency_keys')
      .set({
        state: 'completed',
        status: response.status,
        headers: JSON.stringify(response.headers),
        body: response.body,
        expires_at: secondsFromNow(ttlS),
      })
      .where('owner', '=', claim.owner)
      .where('key', '=', claim.key)
      .where('claim_id', '=', claim.claimId)
      .execute();
  }

  async release(claim: Claim): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('owner', '=', claim.owner)
      .where('key', '=', claim.key)
      .where('claim_id', '=', claim.claimId)
      .execute();
  }

  async deleteExpired(): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
