import type { DataRecord } from '../../client/api.types.js';
import type { RecordRow } from './data.tables.js';

/**
 * A stored record as the API returns it. The wire shapes are defined once, in the client's
 * published types (the client may not import the server; the server may use the contract it
 * publishes), so the mapping below and the client cannot drift apart without a compile error.
 */
export type { DataRecord };

export function toDataRecord(row: RecordRow): DataRecord {
  return {
    id: row.id,
    key: row.key,
    nested: row.nested,
    tags: row.tags,
    attributes: row.attributes,
    owner: row.owner,
    version: row.version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}
