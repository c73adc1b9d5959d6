import type { Kysely } from 'kysely';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { DATABASE } from '../../../src/platform/database/index.js';
import type { IdempotencyTables } from '../../../src/platform/idempotency/index.js';
import { bearer } from '../../helpers/tokens.js';
import { READ_WRITE, type Response } from '../data/data-api.helper.js';

export const REPLAYED = 'idempotent-replayed';

/** POST to the gate module's handler, which holds the request until the test releases it. */
export function postGated(app: NestFastifyApplication, sub: string, idempotencyKey: string): Promise<Response> {
  return app.inject({
    method: 'POST',
    url: '/test/gated',
    headers: { ...bearer({ sub, scope: READ_WRITE }), 'idempotency-key': idempotencyKey },
  });
}

export function idempotencyDb(app: NestFastifyApplication): Kysely<IdempotencyTables> {
  return app.get<Kysely<IdempotencyTables>>(DATABASE);
}

/** Makes a key's row expire now, as its TTL or lease running out would. */
export async function expireKey(app: NestFastifyApplication, owner: string, key: string): Promise<void> {
  await idempotencyDb(app)
    .updateTable('idempotency_keys')
    .set({ expires_at: sql`now() - interval '1 second'` })
    .where('owner', '=', owner)
    .where('key', '=', key)
    .execute();
}

/** The row a replica leaves when it crashes mid-request: in flight, leased for `leaseS`. */
export async function insertInFlight(app: NestFastifyApplication, owner: string, key: string, fingerprint: string, leaseS = 60): Promise<void> {
  await idempotencyDb(app)
    .insertInto('idempotency_keys')
    .values({
      owner,
      key,
      claim_id: '00000000-0000-4000-8000-000000000000',
      fingerprint,
      state: 'in_flight',
      expires_at: sql`now() + make_interval(secs => ${leaseS})`,
    })
    .execute();
}

export async function keyRows(app: NestFastifyApplication, owner: string) {
  return idempotencyDb(app).selectFrom('idempotency_keys').select(['key', 'state', 'status']).where('owner', '=', owner).execute();
}

/** The database's clock, which sets `expires_at` (the app's clock may differ). */
export async function databaseNow(app: NestFastifyApplication): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select now() as now`.execute(idempotencyDb(app));
  return new Date(rows[0].now);
}

export async function keyExpiry(app: NestFastifyApplication, owner: string, key: string): Promise<Date> {
  const row = await idempotencyDb(app)
    .selectFrom('idempotency_keys')
    .select('expires_at')
    .where('owner', '=', owner)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return new Date(row.expires_at);
}
