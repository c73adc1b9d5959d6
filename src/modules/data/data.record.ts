import type { RecordRow } from './data.tables.js';

/** A stored record as the API returns it. */
export interface DataRecord {
  id: string;
  key: string;
  nested: { field1: number; field2: string } | null;
  tags: string[];
  attributes: Record<string, unknown>;
  owner: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

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
