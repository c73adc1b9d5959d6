import type { Kysely } from 'kysely';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { sql } from 'kysely';
import { DATABASE } from '../../../src/platform/database/index.js';
import type { IdempotencyTables } from '../../../src/platform/idempotency/index.js';

export const REPLAYED = 'idempotent-replayed';

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
