import type { ColumnType, Selectable } from 'kysely';

export type IdempotencyState = 'in_flight' | 'completed';

export interface IdempotencyKeysTable {
  owner: string;
  key: string;
  claim_id: string;
  fingerprint: string;
  state: IdempotencyState;
  status: number | null;
  /** Parsed on read, written as JSON text. */
  headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  /** `Buffer` from `pg`, `Uint8Array` from PGlite. */
  body: Uint8Array | null;
  expires_at: ColumnType<Date, unknown, unknown>;
  created_at: ColumnType<Date, never, never>;
}

/** The table of migration 002. */
export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;
