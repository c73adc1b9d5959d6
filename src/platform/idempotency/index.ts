export { Idempotent } from './idempotent.decorator.js';
export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key.js';
export { IdempotencyModule } from './idempotency.module.js';
export { IdempotencyService, IN_FLIGHT_LEASE_S } from './idempotency.service.js';
export type { IdempotencyTables } from './idempotency.tables.js';
